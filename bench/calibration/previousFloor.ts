// The entropy floor nbguard's AWS-secret detector used before this study, kept so that the
// report can show what the calibrated floor (entropyFloor in builtinKinds.ts) changed.

export function previousFloor(length: number): number {
  return Math.max(4.0, Math.min(4.25, Math.log2(length) - 1.1));
}
