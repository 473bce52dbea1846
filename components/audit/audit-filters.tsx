import { Button } from "@/components/ui/button";
import { Input, NativeSelect } from "@/components/ui/input";

// A plain GET form: filters live in the URL, so a filtered view can be bookmarked and shared.
export function AuditFilters({ actions, current }: { actions: string[]; current: { q?: string; action?: string; outcome?: string } }) {
  return (
    <form method="get" className="mb-3 flex flex-wrap items-end gap-2" role="search" aria-label="Filter audit events">
      <div className="grid gap-1">
        <label htmlFor="audit-q" className="text-xs font-medium">
          Search
        </label>
        <Input id="audit-q" name="q" defaultValue={current.q} placeholder="user, action or target" className="w-64" />
      </div>
      <div className="grid gap-1">
        <label htmlFor="audit-action" className="text-xs font-medium">
          Action
        </label>
        <NativeSelect id="audit-action" name="action" defaultValue={current.action ?? ""} className="w-48">
          <option value="">All actions</option>
          {actions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid gap-1">
        <label htmlFor="audit-outcome" className="text-xs font-medium">
          Outcome
        </label>
        <NativeSelect id="audit-outcome" name="outcome" defaultValue={current.outcome ?? ""} className="w-32">
          <option value="">Any</option>
          <option value="ok">ok</option>
          <option value="error">error</option>
          <option value="denied">denied</option>
        </NativeSelect>
      </div>
      <Button type="submit" variant="outline">
        Apply filters
      </Button>
    </form>
  );
}
