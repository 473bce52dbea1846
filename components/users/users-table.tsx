"use client";
import { useState, useTransition } from "react";
import { signOutUserEverywhere, updateUser } from "@/app/(console)/users/actions";
import { ROLES, type Role } from "@/lib/roles";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { NativeSelect } from "@/components/ui/input";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";

export interface UserRowDto {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: number;
}

export function UsersTable({ users, meId }: { users: UserRowDto[]; meId: string }) {
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [pending, start] = useTransition();
  const change = (id: string, patch: { role?: Role; disabled?: boolean }) =>
    start(async () => {
      const res = await updateUser({ id, ...patch });
      setError(res.ok ? undefined : res.error);
    });
  return (
    <div className="grid gap-3">
      {error ? <Alert tone="failed">{error}</Alert> : null}
      {notice ? <Alert tone="ok">{notice}</Alert> : null}
      <div className="rounded-lg border bg-card">
        <Table aria-label="Users">
          <thead>
            <tr>
              <Th>User</Th>
              <Th>Role</Th>
              <Th>Status</Th>
              <Th>Added</Th>
              <Th className="text-right">Actions</Th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <Td>
                  <div className="font-medium">{u.name}</div>
                  <div className="text-xs text-muted-foreground">
                    {u.email}
                    {u.id === meId ? " (you)" : ""}
                  </div>
                </Td>
                <Td>
                  <NativeSelect
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    disabled={pending}
                    onChange={(e) => change(u.id, { role: e.target.value as Role })}
                    className="w-32"
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </NativeSelect>
                </Td>
                <Td>{u.disabled ? <StatusBadge tone="failed" label="disabled" /> : <StatusBadge tone="ok" label="active" />}</Td>
                <Td className="text-muted-foreground">
                  <RelativeTime ms={u.createdAt} />
                </Td>
                <Td className="space-x-1.5 text-right">
                  <ConfirmDialog
                    trigger={
                      <Button variant="outline" size="sm" disabled={pending || u.disabled}>
                        Sign out everywhere
                      </Button>
                    }
                    title={`Sign ${u.email} out everywhere?`}
                    description="Every browser signed in as this user is signed out at once; they can sign in again."
                    confirmLabel="Sign out everywhere"
                    onConfirm={() =>
                      start(async () => {
                        const res = await signOutUserEverywhere({ id: u.id });
                        setError(res.ok ? undefined : res.error);
                        setNotice(
                          res.ok ? `Signed ${u.email} out of ${res.data.ended} session${res.data.ended === 1 ? "" : "s"}.` : undefined,
                        );
                      })
                    }
                  />
                  {u.disabled ? (
                    <Button variant="outline" size="sm" disabled={pending} onClick={() => change(u.id, { disabled: false })}>
                      Enable
                    </Button>
                  ) : (
                    <ConfirmDialog
                      trigger={
                        <Button variant="outline" size="sm" disabled={pending || u.id === meId}>
                          Disable
                        </Button>
                      }
                      title={`Disable ${u.email}?`}
                      description="They are signed out at once and can't sign in until an admin enables the account again."
                      confirmLabel="Disable user"
                      destructive
                      onConfirm={() => change(u.id, { disabled: true })}
                    />
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
