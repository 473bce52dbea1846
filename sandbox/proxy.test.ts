import { describe, expect, it } from "vitest";
import { FaultInjector } from "./aws-proxy/faults";
import { faultResponse, identify } from "./aws-proxy/protocol";
import { rdsView } from "./aws-proxy/rds";
import { mapBlocks, setTagText, tagText } from "./util/xml";

const auth = (svc: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=test/20261129/us-east-1/${svc}/aws4_request, SignedHeaders=host, Signature=x`,
});

describe("request identification", () => {
  it("reads the operation from X-Amz-Target (JSON) or Action= (query) and the service from the credential scope", () => {
    const j = identify(
      {
        ...auth("ecs"),
        "x-amz-target": "AmazonEC2ContainerServiceV20141113.DescribeServices",
        "content-type": "application/x-amz-json-1.1",
      },
      Buffer.from('{"cluster":"c"}'),
    );
    expect(j).toMatchObject({ service: "ecs", operation: "DescribeServices", protocol: "json", json: { cluster: "c" } });
    const q = identify(
      { ...auth("rds"), "content-type": "application/x-www-form-urlencoded" },
      Buffer.from("Action=DescribeDBInstances&Version=2014-10-31"),
    );
    expect(q).toMatchObject({ service: "rds", operation: "DescribeDBInstances", protocol: "query" });
    expect(
      identify({ ...auth("ec2"), "content-type": "application/x-www-form-urlencoded" }, Buffer.from("Action=DescribeVpcs")).protocol,
    ).toBe("ec2");
  });
});

describe("fault responses", () => {
  it("use each protocol's throttling shape", () => {
    const json = faultResponse(
      identify({ ...auth("ecs"), "x-amz-target": "X.ListClusters", "content-type": "application/x-amz-json-1.1" }, Buffer.from("{}")),
      "throttle",
    );
    expect(json.status).toBe(400);
    expect(JSON.parse(json.body)).toEqual({ __type: "ThrottlingException", message: "Rate exceeded" });
    expect(json.headers["x-amzn-errortype"]).toBe("ThrottlingException");
    const cw = faultResponse(
      identify(
        {
          ...auth("monitoring"),
          "x-amz-target": "GraniteServiceVersion20100801.DescribeAlarms",
          "content-type": "application/x-amz-json-1.0",
        },
        Buffer.from("{}"),
      ),
      "throttle",
    );
    expect(cw.headers["x-amzn-query-error"]).toBe("Throttling;Sender");
    const q = faultResponse(
      identify({ ...auth("rds"), "content-type": "application/x-www-form-urlencoded" }, Buffer.from("Action=X")),
      "throttle",
    );
    expect(q.body).toContain("<Code>Throttling</Code>");
    expect(q.body).toContain("<ErrorResponse");
  });

  it("are drawn reproducibly from the seed and only for matching operations", () => {
    const draw = () => {
      const f = new FaultInjector();
      f.set({ throttle: 0.3, error5xx: 0.1, operations: ["DescribeServices"], seed: 5 });
      return Array.from({ length: 50 }, () => f.decide("ecs", "DescribeServices").action);
    };
    expect(draw()).toEqual(draw());
    expect(draw().filter((a) => a === "throttle").length).toBeGreaterThan(5);
    const f = new FaultInjector();
    f.set({ throttle: 1, operations: ["ecs:DescribeServices"] });
    expect(f.decide("ecs", "ListTasks").action).toBe("none");
    expect(f.decide("ecs", "DescribeServices").action).toBe("throttle");
    f.clear();
    expect(f.decide("ecs", "DescribeServices").action).toBe("none");
  });
});

describe("RDS clock", () => {
  const scaled = (s: number) => s * 1000;
  it("creating → backing-up → available, modifying while a change applies", () => {
    expect(rdsView({ createdAt: 0 }, 1000, scaled)).toMatchObject({ status: "creating", hideEndpoint: true });
    expect(rdsView({ createdAt: 0 }, 300_000, scaled).status).toBe("backing-up");
    expect(rdsView({ createdAt: 0 }, 400_000, scaled).status).toBeUndefined();
    const m = { requestedAt: 0, applyAt: 10, pending: { DBInstanceClass: "db.t3.small" }, old: { DBInstanceClass: "db.t3.micro" } };
    expect(rdsView({ modification: m }, 5, scaled)).toMatchObject({ status: "modifying", showPending: true });
    const waiting = rdsView({ modification: { ...m, applyAt: null } }, 5, scaled);
    expect(waiting.showPending).toBe(true);
    expect(waiting.status).toBeUndefined(); // stays whatever moto says (available) until the maintenance window
  });
});

describe("xml helpers", () => {
  it("edit simple elements inside repeated blocks", () => {
    const xml = "<A><DBInstance><Id>a</Id><S>available</S></DBInstance><DBInstance><Id>b</Id><S>available</S></DBInstance></A>";
    const out = mapBlocks(xml, "DBInstance", (b) => (tagText(b, "Id") === "b" ? setTagText(b, "S", "creating") : b));
    expect(out).toBe("<A><DBInstance><Id>a</Id><S>available</S></DBInstance><DBInstance><Id>b</Id><S>creating</S></DBInstance></A>");
  });
});
