// Served by scripts/checks-module.mjs: the default export of every file in checks/, and in checks/client/.
declare module 'cogdoctor:checks' {
  const checks: unknown[];
  export default checks;
}
declare module 'cogdoctor:client-checks' {
  const checks: unknown[];
  export default checks;
}
