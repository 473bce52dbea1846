// Starts a throwaway PostgreSQL cluster for the store tests unless TEST_DATABASE_URL is already set (e.g. to point
// the tests at a server of your own). Each vitest process (each lane of scripts/test.sh) starts its own.
import { startPostgresCluster } from "./postgres-cluster";

export default async function setup(): Promise<(() => void) | undefined> {
  if (process.env.TEST_DATABASE_URL) return undefined;
  const cluster = await startPostgresCluster();
  process.env.TEST_DATABASE_URL = cluster.url;
  return () => cluster.remove();
}
