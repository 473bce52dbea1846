"use client";
import { Suspense, use } from "react";
import type * as React from "react";

// A panel streamed from the server: until the page has a whole snapshot (`value` set), it shows `fallback` and then
// the panel's own promise, passed from the server component (React streams each promise's value as it resolves). Once
// a snapshot is there the same component renders `value`, so nothing remounts (a half-typed count stays typed).

function Resolved<T>({ value, promise, children }: { value: T | undefined; promise: Promise<T>; children: (v: T) => React.ReactNode }) {
  const v = value !== undefined ? value : use(promise);
  return <>{children(v)}</>;
}

export function Streamed<T>({
  value,
  promise,
  fallback,
  children,
}: {
  value: T | undefined;
  promise: Promise<T>;
  fallback: React.ReactNode;
  children: (v: T) => React.ReactNode;
}) {
  return (
    <Suspense fallback={fallback}>
      <Resolved value={value} promise={promise}>
        {children}
      </Resolved>
    </Suspense>
  );
}

/** A card-sized placeholder with the panel's title, announced as loading. */
export function PanelPending({ title, className }: { title: string; className?: string }) {
  return (
    <section className={`rounded-lg border bg-card shadow-xs ${className ?? ""}`} aria-busy="true" data-testid="panel-pending">
      <header className="border-b px-4 py-2.5">
        <h2 className="text-sm font-semibold">{title}</h2>
      </header>
      <div className="grid gap-2 p-4" role="status">
        <span className="sr-only">Loading {title}…</span>
        <div className="h-3 w-2/3 animate-pulse rounded bg-muted" />
        <div className="h-3 w-1/2 animate-pulse rounded bg-muted" />
      </div>
    </section>
  );
}
