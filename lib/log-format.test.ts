import { describe, expect, it } from "vitest";
import { formatLogTime, highlightParts, levelOf, linesToText, parseStream, prettyJson, streamLabel } from "./log-format";

describe("log formatting", () => {
  it("detects levels from Prefect/Python lines and JSON fields", () => {
    expect(levelOf("16:40:01.123 | ERROR   | prefect.server - Database unreachable")).toBe("error");
    expect(levelOf("16:40:01.123 | WARNING | prefect.worker - Heartbeat late")).toBe("warn");
    expect(levelOf('INFO:     10.0.1.5:50312 - "GET /api/health HTTP/1.1" 200 OK')).toBe("info");
    expect(levelOf('{"level":"debug","msg":"tick"}')).toBe("debug");
    expect(levelOf("Traceback (most recent call last):")).toBe("error");
    expect(levelOf("plain text without a level")).toBeUndefined();
    expect(levelOf("INFORMATION is not a level word")).toBeUndefined();
  });

  it("pretty-prints JSON lines only", () => {
    expect(prettyJson('{"a":1,"b":[2]}')).toBe('{\n  "a": 1,\n  "b": [\n    2\n  ]\n}');
    expect(prettyJson("{not json}")).toBeUndefined();
    expect(prettyJson("hello")).toBeUndefined();
  });

  it("splits text around case-insensitive matches", () => {
    expect(highlightParts("Error: an error", "error")).toEqual(["", "Error", ": an ", "error", ""]);
    expect(highlightParts("abc", "")).toEqual(["abc"]);
    expect(highlightParts("abc", "x")).toEqual(["abc"]);
  });

  it("formats times in UTC and derives stream labels", () => {
    expect(formatLogTime(Date.UTC(2026, 10, 29, 16, 40, 1, 23), "utc")).toBe("2026-11-29 16:40:01.023");
    expect(parseStream("worker/prefect-worker/0123456789abcdef")).toEqual({
      prefix: "worker",
      container: "prefect-worker",
      taskId: "0123456789abcdef",
    });
    expect(streamLabel("server/prefect-server/0123456789abcdef")).toBe("server/01234567");
    expect(streamLabel("odd")).toBe("odd");
  });

  it("exports lines as text", () => {
    expect(linesToText([{ id: "1", ts: 0, stream: "s", message: "hello\n" }])).toBe("1970-01-01T00:00:00.000Z s hello\n");
  });
});
