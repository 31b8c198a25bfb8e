// The emulator (with the AWS service models it validates against) is its own bundle,
// dist/emulator-cli.cjs, loaded only by `emulator` and `demo`: the other commands never parse it.
export { loadOrganization, startEmulator } from '../emulator/index.js';
