import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-md flex-col items-center justify-center gap-3 text-center">
      <p className="text-sm font-medium text-muted-foreground">404 · Not found</p>
      <h1 className="text-xl font-semibold">Nothing here</h1>
      <p className="text-sm text-muted-foreground">The page, stack or resource you asked for does not exist.</p>
      <Link href="/stacks" className="text-sm text-primary underline-offset-4 hover:underline">
        Back to stacks
      </Link>
    </main>
  );
}
