// The fused BatchNorm1d passes of lib/fast, when present (see bench/run.mjs).
import { lab } from "./tasks.mjs";

export const fusedBnCall = null;
