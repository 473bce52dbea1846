import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { CreateUserForm } from "@/components/users/create-user-form";
import { UsersTable } from "@/components/users/users-table";
import { requireRole } from "@/server/auth/current";
import { listUsers } from "@/server/auth/users";
import { db } from "@/server/db";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const me = await requireRole("admin");
  const users = await listUsers(await db());
  return (
    <>
      <PageHeader
        title="Users"
        description="Who can sign in, and what they may do. Viewers read; operators provision and operate; admins also manage users."
      />
      <div className="grid items-start gap-5 lg:grid-cols-[1fr_20rem]">
        <UsersTable
          users={users.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, disabled: u.disabled, createdAt: u.createdAt }))}
          meId={me.id}
        />
        <CreateUserForm />
      </div>
    </>
  );
}
