import { Command, CommanderError, Option } from 'commander';
import { redactText } from '../redact.js';
import { EXIT, UsageError } from '../errors.js';
import { exitOnSignals } from './signals.js';
import { VERSION } from './version.js';

// The AWS SDK warns about Node 20 on stderr when a client is built; the report's stderr stays clean.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const FAIL_ON = ['error', 'warning', 'info', 'never'];

function list(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function outputOptions(command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json', 'markdown', 'sarif', 'junit', 'html']).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--no-color', 'no colour in text output (NO_COLOR is honoured too)')
    .option('-v, --verbose', 'more detail: every evidence field, docs links, the checks that passed, not-applicable checks')
    .option('--compact', 'text: one line per finding, then the counts and the verdict by area')
    .option('--quiet', 'no progress on stderr');
}

/** The AWS connection flags of every live command; `domain: false` for `client`, which reads no domain. */
function awsOptions(command: Command, { domain = true } = {}): Command {
  if (domain) command.option('--region <region>', 'AWS region of the domain (default: AWS_REGION, else the region of the profile)');
  command
    .option('--profile <name>', 'shared config / SSO profile (default: AWS_PROFILE)')
    .option('--endpoint-url <url>', 'send every AWS call, and the domain REST call, to this URL (a local emulator)')
    .option('--max-attempts <n>', 'attempts per AWS call, retries back off (default 3)', (v) => positiveInt(v, '--max-attempts'))
    .option('--timeout <ms>', 'time limit per AWS call in milliseconds (default 10000)', (v) => positiveInt(v, '--timeout'));
  if (domain) {
    command
      .option('--no-deep', 'do not read the FGAC role mappings from the domain (security plugin REST API)')
      .option('--concurrency <n>', 'AWS calls in flight at once (default 16; 64 across a whole sweep)', (v) => positiveInt(v, '--concurrency'));
  }
  return command;
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UsageError(`--port takes a port number from 0 to 65535, not ${JSON.stringify(value)}`);
  return n;
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} takes a positive whole number, not ${JSON.stringify(value)}`);
  return n;
}

export function buildProgram(): Command {
  const program = new Command('cogdoctor')
    .description('Diagnose Amazon Cognito login to OpenSearch Dashboards (and Kibana) from the account configuration.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text.startsWith('error:') ? `cogdoctor: ${text}` : text) });

  outputOptions(
    awsOptions(
      program
        .command('check')
        .description('run every check on a live domain, on snapshot files, or on every Cognito domain of a region')
        .argument('[domain]', 'the OpenSearch Service domain name (live)')
        .option('--snapshot <files...>', 'offline: snapshot file(s), folders of them, or a quoted glob ("snapshots/**/*.json")')
        .option('--all', 'every domain with Cognito enabled in the region (with the flags below: in several Regions and accounts)')
        .option('--regions <list>', 'with --all: these Regions (comma-separated), or all (every Region enabled for each account)', list)
        .option('--accounts <ids>', 'with --all: these accounts (comma-separated ids), each read in its role', list)
        .option('--organization', 'with --all: every active account of the AWS Organization (organizations:ListAccounts)')
        .option('--role-name <name>', 'the role assumed in each account: arn:<partition>:iam::<account>:role/NAME')
        .option('--role-arn <template>', 'the role assumed in each account, as a template: arn:{partition}:iam::{account}:role/path/NAME')
        .option('--external-id <id>', "the external id the member role's trust policy requires")
        .option('--session-policy', 'limit each assumed session to the read-only permissions policy, whatever the role allows')
        .option('--max-accounts-in-flight <n>', 'accounts read at once (default 50)', (v) => positiveInt(v, '--max-accounts-in-flight'))
        .option('--cfn <template>', 'before deploy: a CloudFormation template (JSON or YAML, cdk synth output too), no AWS access')
        .option('--terraform-plan <plan>', 'before apply: a Terraform plan as JSON (terraform show -json plan.out), no AWS access')
        .option('--parameters <pairs...>', 'with --cfn: template and pseudo parameters as KEY=VALUE (AWS::AccountId=…, AWS::Region=…)')
        .addOption(
          new Option('--fail-on <severity>', 'lowest severity that fails the run (exit 1); default: fail-on in the config, else error').choices(FAIL_ON),
        )
        .option('--only <ids>', 'run only these check or failure ids (comma-separated, repeatable)', list)
        .option('--skip <ids>', 'skip these check or failure ids (comma-separated, repeatable)', list)
        .option('--baseline <file>', 'a JSON report or snapshot of an earlier run: only findings it does not have fail the run')
        .option('--config <file>', 'fail-on, skip and mutes (default: .cogdoctor.yml in the current directory, when present)')
        .option('--checks-dir <dir>', 'load plugin checks (*.js, *.mjs) from this folder too (repeatable)', collect)
        .option('--sarif-location <file>', 'the file SARIF results point at, e.g. the IaC that defines the domain'),
    ),
  ).action(async (domain: string | undefined, options) => {
    const { runCheckCommand } = await import('./check.js');
    process.exitCode = await runCheckCommand(domain, options);
  });

  awsOptions(
    program
      .command('diff')
      .description(
        'what changed between two snapshots of a domain (or a snapshot and the live domain, or a CloudFormation template or Terraform plan on either side), and the findings each change adds or removes',
      )
      .argument('[old]', 'a snapshot file, a CloudFormation template, a Terraform plan (terraform show -json), or a domain name to read live')
      .argument('[new]', 'a snapshot file, a CloudFormation template, a Terraform plan (terraform show -json), or a domain name to read live')
      .option('--terraform-plan <plan>', 'instead of OLD and NEW: what applying this plan does, its prior state against its planned values')
      .option('--domain <name>', 'the domain to compare when a template or plan defines several')
      .option('--parameters <pairs...>', 'for a CloudFormation template side: template and pseudo parameters as KEY=VALUE (AWS::AccountId=…, AWS::Region=…)')
      .option('-v, --verbose', "each added finding's fix too")
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'html']).default('text'))
      .option('-o, --output <file>', 'write to a file instead of stdout')
      .option('--no-color', 'no colour in text output (NO_COLOR is honoured too)')
      .option('--quiet', 'no progress on stderr')
      .addOption(
        new Option('--fail-on <severity>', 'exit 1 when a change adds a finding at or above this; default: fail-on in the config, else error').choices(FAIL_ON),
      )
      .option('--only <ids>', 'run only these check or failure ids (comma-separated, repeatable)', list)
      .option('--skip <ids>', 'skip these check or failure ids (comma-separated, repeatable)', list)
      .option('--config <file>', 'fail-on, skip and mutes (default: .cogdoctor.yml in the current directory, when present)')
      .option('--checks-dir <dir>', 'load plugin checks (*.js, *.mjs) from this folder too (repeatable)', collect),
  ).action(async (before: string | undefined, after: string | undefined, options) => {
    if ((before === undefined || after === undefined) !== Boolean(options.terraformPlan))
      throw new UsageError('diff takes OLD and NEW, or --terraform-plan PLAN.json alone');
    const { runDiffCommand } = await import('./diff.js');
    process.exitCode = await runDiffCommand(before ?? options.terraformPlan, after ?? options.terraformPlan, options);
  });

  awsOptions(
    program
      .command('trace')
      .description("walk one user's Dashboards login through every step and name the step where it breaks")
      .argument('[domain]', 'the OpenSearch Service domain name (live)')
      .option('--snapshot <file>', 'offline: a snapshot file')
      .option('--token <jwt>', "the user's ID token (decoded; its signature verified when the user pool's keys are at hand)")
      .option('--jwks <file>', "verify --token against this JSON Web Key Set instead of the user pool's")
      .option('--claims <file>', 'a JSON file of ID token claims')
      .option('--user <username>', 'live: read the user (AdminGetUser, AdminListGroupsForUser) and build its claims')
      .option('--groups <names>', 'what-if: a user in exactly these groups (comma-separated; "" for none)', list)
      .option('--url <url>', "the Dashboards URL the user opens: AWS endpoint, custom endpoint or a proxy (default: the domain's)")
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'html']).default('text'))
      .option('-o, --output <file>', 'write to a file instead of stdout')
      .option('--no-color', 'no colour in text output (NO_COLOR is honoured too)')
      .option('-v, --verbose', 'the evidence of every step, and the claims')
      .option('--quiet', 'no progress on stderr'),
  ).action(async (domain: string | undefined, options) => {
    const { runTraceCommand } = await import('./trace.js');
    process.exitCode = await runTraceCommand(domain, options);
  });

  awsOptions(
    program
      .command('access')
      .description('why an IAM principal (a Lambda role, a pipeline, a CI user) or an unsigned request gets 403: the statement that decides, and the fix')
      .argument('[domain]', 'the OpenSearch Service domain name (live)')
      .option('--snapshot <file>', "offline: a snapshot file holding the principal's policies")
      .option('--principal <arn>', 'a role ARN, a role session ARN (arn:aws:sts::<account>:assumed-role/<role>/<session>), a user ARN, or anonymous')
      .option('--unsigned', 'evaluate a request that is not SigV4-signed (same as --principal anonymous)')
      .option('--action <action>', 'es:ESHttpGet|Post|Put|Delete|Head|Patch, or the HTTP method (default es:ESHttpGet)')
      .option('--path <path>', 'the path of the request on the domain, e.g. /my-index/_search (default /*)')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
      .option('-o, --output <file>', 'write to a file instead of stdout')
      .addOption(new Option('--fail-on <severity>', 'lowest severity that fails the run (exit 1)').choices(FAIL_ON).default('error'))
      .option('--no-color', 'no colour in text output (NO_COLOR is honoured too)')
      .option('-v, --verbose', 'the statements that decide and the evidence of each finding')
      .option('--quiet', 'no progress on stderr'),
  ).action(async (domain: string | undefined, options) => {
    const { runAccessCommand } = await import('./access.js');
    process.exitCode = await runAccessCommand(domain, options);
  });

  outputOptions(
    awsOptions(
      program
        .command('client')
        .description(
          'diagnose any OIDC relying party (Kong, an ALB, an SPA, a backend) on one user pool app client: domain, URLs, flow, scopes, provider, secret',
        )
        .argument('[user-pool-id]', 'the user pool id, e.g. eu-west-1_AbC123 (optional with --snapshot)')
        .argument('[client-id]', 'the app client id')
        .option('--snapshot <file>', 'offline: a cogdoctor snapshot holding the user pool and the client')
        .option('--redirect-uri <url>', 'a redirect_uri the relying party sends (repeatable)', collect)
        .option('--logout-uri <url>', 'a logout_uri the relying party sends (repeatable)', collect)
        .addOption(new Option('--flow <flow>', 'the OAuth flow the relying party uses').choices(['code', 'implicit', 'client_credentials']).default('code'))
        .option('--scopes <scopes>', 'the scopes it requests, comma-separated (default openid; none for client_credentials)', list)
        .option('--identity-provider <name>', 'the identity provider users sign in with (COGNITO, or a SAML/OIDC/social provider name)')
        .addOption(
          new Option(
            '--app <kind>',
            'server: confidential, keeps a secret (Kong, ALB, backend); browser: public (SPA, mobile). Default: browser for implicit, else server',
          ).choices(['server', 'browser']),
        )
        .addOption(new Option('--fail-on <severity>', 'lowest severity that fails the run (exit 1)').choices(FAIL_ON).default('error'))
        .option('--checks-dir <dir>', "load plugin checks (*.js, *.mjs) from this folder too (repeatable); those with kind: 'client' run here", collect)
        // The region is the user pool id's; --region is taken only to refuse another one.
        .addOption(new Option('--region <region>').hideHelp()),
      { domain: false },
    ),
  ).action(async (first: string | undefined, second: string | undefined, options) => {
    const { runClientCommand } = await import('./client.js');
    process.exitCode = await runClientCommand(first, second, options);
  });

  awsOptions(
    program
      .command('snapshot')
      .description('write the snapshot of a live domain (secrets redacted, sorted, pretty-printed)')
      .argument('<domain>', 'the OpenSearch Service domain name')
      .option('-o, --output <file>', 'write to a file instead of stdout')
      .option('--quiet', 'no progress on stderr'),
  ).action(async (domain: string, options) => {
    const { runSnapshotCommand } = await import('./live.js');
    process.exitCode = await runSnapshotCommand(domain, options);
  });

  program
    .command('checks')
    .description('list the checks, the failure ids each reports, and their severity')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--checks-dir <dir>', 'list the plugin checks of this folder too (repeatable)', collect)
    .option('--config <file>', 'its checks-dirs are listed too (default: .cogdoctor.yml, when present)')
    .action(async (options) => {
      const { runChecksCommand } = await import('./catalog.js');
      process.exitCode = await runChecksCommand(options);
    });

  program
    .command('explain')
    .description('symptom, cause, detection, fix and docs of one failure id')
    .argument('<failure-id>', 'a failure id, e.g. missing-role')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (id: string, options) => {
      const { runExplainCommand } = await import('./catalog.js');
      process.exitCode = runExplainCommand(id, options);
    });

  program
    .command('permissions')
    .description('print the least-privilege IAM policy cogdoctor needs (every read it may make, nothing else)')
    .option('--organization', "for a sweep: the policy of the management (or delegated administrator) account, and the member role's permissions and trust")
    .option('--role-name <name>', 'with --organization: the member role (default cogdoctor-read)')
    .option('--management-account <id>', "with --organization: the account the sweep runs from, for the member role's trust")
    .option('--external-id <id>', "with --organization: the external id the member role's trust requires")
    .action(async (options) => {
      const { runPermissionsCommand } = await import('./live.js');
      process.exitCode = runPermissionsCommand(options);
    });

  outputOptions(
    program
      .command('demo')
      .description('run a live check against a built-in local AWS emulator with a misconfigured account (no AWS account needed)')
      .addOption(new Option('--fail-on <severity>', 'lowest severity that fails the run (exit 1)').choices(FAIL_ON).default('never'))
      .option('--organization', 'sweep a built-in organization instead: several accounts and Regions, one role that cannot be assumed'),
  ).action(async (options) => {
    const { runDemoCommand, runOrganizationDemoCommand } = await import('./live.js');
    process.exitCode = options.organization ? await runOrganizationDemoCommand(options) : await runDemoCommand(options);
  });

  program
    .command('emulator')
    .description('serve snapshot(s) as a local AWS endpoint; prints the base URL first, runs until stopped')
    .requiredOption('--snapshot <files...>', 'snapshot file(s) to serve')
    .option('--organization <file>', 'serve an AWS Organization (cogdoctor/organization/v1): its accounts, the roles to assume in them, their Regions')
    .option('--port <n>', 'port on 127.0.0.1 (default, or 0: any free port)', port)
    .option('-v, --verbose', 'print each request answered on stderr, and the details of an internal error')
    .action(async (options) => {
      const { runEmulatorCommand } = await import('./live.js');
      await runEmulatorCommand(options);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  exitOnSignals();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? EXIT.ok : EXIT.usage;
    }
    const verbose = argv.includes('--verbose') || argv.includes('-v');
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof UsageError || (error as { name?: string })?.name === 'SnapshotError') {
      process.stderr.write(`cogdoctor: ${redactText(message)}\n`);
    } else {
      process.stderr.write(`cogdoctor: internal error: ${redactText(message)}${verbose ? '' : ' (run with --verbose for details)'}\n`);
      if (verbose && error instanceof Error && error.stack) process.stderr.write(`${redactText(error.stack)}\n`);
    }
    return EXIT.usage;
  }
}
