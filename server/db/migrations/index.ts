import "server-only";
import type { Migration } from "../types";
import { m001 } from "./001_foundation";
import { m002 } from "./002_stacks";
import { m003 } from "./003_one_active_run";

// Append new migrations at the end (one file each); never edit one that has shipped.
export const migrations: Migration[] = [m001, m002, m003];
