"use client";
import { useCallback, useSyncExternalStore } from "react";
import type { Zone } from "@/lib/datetime-input";

// The log viewer's time zone (UTC or the browser's), kept in localStorage so it survives reloads; every viewer on
// the page follows a change.
const zoneKey = "pec.logs.zone";
const zoneListeners = new Set<() => void>();

export function useZone(): [Zone, (z: Zone) => void] {
  const zone = useSyncExternalStore(
    (l) => (zoneListeners.add(l), () => zoneListeners.delete(l)),
    () => (localStorage.getItem(zoneKey) === "local" ? "local" : "utc"),
    () => "utc" as const,
  );
  const set = useCallback((z: Zone) => {
    localStorage.setItem(zoneKey, z);
    zoneListeners.forEach((l) => l());
  }, []);
  return [zone, set];
}
