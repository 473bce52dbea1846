import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-md flex-col items-center justify-center gap-3 text-center">
      <p className="text-sm font-medium text-failed">403 · Forbidden</p>
      <h1 className="text-xl font-semibold">You don&apos;t have access to this page</h1>
      <p className="text-sm text-muted-foreground">Your role doesn&apos;t allow it. Ask an admin to change your role on the Users page.</p>
      <Link href="/stacks" className="text-sm text-primary underline-offset-4 hover:underline">
        Back to stacks
      </Link>
    </main>
  );
}
