"use server";
import { z } from "zod";
import { defineAction } from "@/server/actions/define-action";
import { UserError } from "@/server/errors";
import { getRun, requestCancel } from "@/server/stack/runs";

export const cancelRun = defineAction({
  name: "run.cancel",
  role: "operator",
  input: z.object({ runId: z.string().uuid({ error: "Not a run id" }) }).strict(),
  target: (i) => `run:${i.runId}`,
  async run(input, { db }) {
    const run = await getRun(db, input.runId);
    if (!run) throw new UserError("That run does not exist.");
    if (!(await requestCancel(db, input.runId))) throw new UserError("The run has already finished.");
    return { runId: input.runId };
  },
});
