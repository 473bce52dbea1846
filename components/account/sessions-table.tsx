"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { revokeMySession, signOutEverywhere } from "@/app/(console)/account/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import type { SessionRowDto } from "@/lib/sessions";

export function SessionsTable({ sessions }: { sessions: SessionRowDto[] }) {
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  const router = useRouter();
  return (
    <div className="grid gap-3">
      {error ? <Alert tone="failed">{error}</Alert> : null}
      <div className="flex justify-end">
        <ConfirmDialog
          trigger={
            <Button variant="outline" disabled={pending}>
              Sign out everywhere
            </Button>
          }
          title="Sign out everywhere?"
          description="Every browser signed in as you is signed out at once, this one included."
          confirmLabel="Sign out everywhere"
          destructive
          onConfirm={() =>
            start(async () => {
              const res = await signOutEverywhere({});
              if (res.ok) router.push("/login");
              else setError(res.error);
            })
          }
        />
      </div>
      <div className="rounded-lg border bg-card">
        <Table aria-label="Your sessions">
          <thead>
            <tr>
              <Th>Browser</Th>
              <Th>Address</Th>
              <Th>Signed in</Th>
              <Th>Last request</Th>
              <Th>Expires</Th>
              <Th className="text-right">Actions</Th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <Td className="max-w-96" title={s.userAgent}>
                  {/* The badge first: a long user agent is cut at the cell's end. */}
                  <div className="flex items-center gap-2">
                    {s.current ? <StatusBadge tone="ok" label="this browser" /> : null}
                    <span className="truncate">{s.userAgent ?? "unknown"}</span>
                  </div>
                </Td>
                <Td className="font-mono text-xs">{s.clientAddress ?? "unknown"}</Td>
                <Td className="text-muted-foreground">
                  <RelativeTime ms={s.createdAt} />
                </Td>
                <Td className="text-muted-foreground">
                  <RelativeTime ms={s.lastSeenAt} />
                </Td>
                <Td className="text-muted-foreground">
                  <RelativeTime ms={s.expiresAt} />
                </Td>
                <Td className="text-right">
                  {s.current ? null : (
                    <Button
                      variant="outline"
                      size="sm"
                      disabled={pending}
                      onClick={() =>
                        start(async () => {
                          const res = await revokeMySession({ id: s.id });
                          setError(res.ok ? undefined : res.error);
                        })
                      }
                    >
                      Sign out
                    </Button>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </div>
    </div>
  );
}
