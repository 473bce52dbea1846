// Application Auto Scaling: DescribeScalingActivities (not implemented by moto) is answered from the scaling
// decisions the simulator's target tracking made (physics/autoscaling.ts), in AWS's JSON 1.1 shape.
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DescribeScalingActivities.html
import { jsonError, jsonResponse } from "./protocol";
import type { RewriterTable } from "./types";

/** MaxResults: 1–50, default 50 (API reference). */
const MAX_RESULTS = 50;

export const autoscalingRewriters: RewriterTable = {
  "application-autoscaling:DescribeScalingActivities": {
    before(env, call) {
      const q = call.req.json ?? {};
      const ns = q.ServiceNamespace;
      if (typeof ns !== "string" || !ns)
        return jsonError(
          call.req,
          400,
          "ValidationException",
          "1 validation error detected: Value null at 'serviceNamespace' failed to satisfy constraint: Member must not be null",
        );
      const max = typeof q.MaxResults === "number" ? q.MaxResults : MAX_RESULTS;
      if (max < 1 || max > MAX_RESULTS)
        return jsonError(
          call.req,
          400,
          "ValidationException",
          `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${MAX_RESULTS}`,
        );
      const offset = typeof q.NextToken === "string" ? Number(q.NextToken) || 0 : 0;
      const items = env.world.scalingActivities.filter(
        (a) =>
          a.ServiceNamespace === ns &&
          (typeof q.ResourceId !== "string" || a.ResourceId === q.ResourceId) &&
          (typeof q.ScalableDimension !== "string" || a.ScalableDimension === q.ScalableDimension),
      );
      const page = items.slice(offset, offset + max);
      return jsonResponse(call.req, {
        ScalingActivities: page.map((a) => ({ ...a, StartTime: a.StartTime / 1000, EndTime: a.EndTime / 1000 })),
        ...(offset + max < items.length ? { NextToken: String(offset + max) } : {}),
      });
    },
  },
};
