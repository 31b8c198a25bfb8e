// Served by scripts/checks-module.mjs: the default export of every file in checks/.
declare module 'cogdoctor:checks' {
  const checks: unknown[];
  export default checks;
}
