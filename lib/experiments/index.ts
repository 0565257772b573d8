/**
 * experiments: measurements the course notebooks share (diagnostics, ICS, landscape, noise, percentiles, spread over
 * seeds).
 */
export * from "./statistics";
export * from "./trace";
export * from "./diagnostics";
export * from "./ics";
export * from "./landscape";
export * from "./noise";
export * from "./tracker";
export * from "./seeds";
export * from "./train-mode";
