// The largest request body the console accepts (forms and server actions carry a few KB; a StackSpec is < 20 KB).
// proxy.ts answers 413 above it before any page or action runs; next.config.ts gives server actions the same limit.
export const MAX_REQUEST_BYTES = 1024 * 1024;
export const TOO_LARGE_MESSAGE = "That request is too large (the console accepts at most 1 MB).";
