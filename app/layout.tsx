import type { Metadata } from "next";
import { headers } from "next/headers";
import { ThemeProvider } from "next-themes";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Prefect ECS Console", template: "%s · Prefect ECS Console" },
  description: "Provision and operate a production Prefect 3 server on AWS ECS Fargate.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // proxy.ts puts this request's CSP nonce here; next-themes' inline script needs it to run.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-screen antialiased">
        <ThemeProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange nonce={nonce}>
          {children}
        </ThemeProvider>
      </body>
    </html>
  );
}
