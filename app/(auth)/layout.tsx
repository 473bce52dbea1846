export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-muted/50 px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <p className="text-lg font-semibold">Prefect ECS Console</p>
          <p className="text-xs text-muted-foreground">Provision and operate Prefect on AWS ECS Fargate</p>
        </div>
        {children}
      </div>
    </main>
  );
}
