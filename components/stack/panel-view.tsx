import type * as React from "react";
import { Alert } from "@/components/ui/alert";
import type { Panel } from "@/lib/ops/types";

/** Renders a panel's data, or what failed while fetching it (the other panels stay). */
export function PanelView<T>({ panel, what, children }: { panel: Panel<T>; what: string; children: (data: T) => React.ReactNode }) {
  if (!panel.ok)
    return (
      <Alert tone="failed" title={`Could not read ${what}`}>
        {panel.error}
      </Alert>
    );
  return <>{children(panel.data)}</>;
}
