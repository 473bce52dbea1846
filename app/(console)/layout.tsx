import { AppShell } from "@/components/shell/app-shell";
import { requireUser } from "@/server/auth/current";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return <AppShell user={{ email: user.email, name: user.name, role: user.role }}>{children}</AppShell>;
}
