import * as vscode from 'vscode';
import { SECTION } from '../backends/settings';

/** The walkthrough's id as VS Code knows it: `<publisher>.<name>#<walkthrough id>`. */
export function walkthroughId(context: vscode.ExtensionContext): string {
  return `${context.extension.id}#switchboard.gettingStarted`;
}

const showWalkthrough = (context: vscode.ExtensionContext) =>
  vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthroughId(context), false);

/**
 * "Switchboard: Get Started". Asked while no walkthrough page is open, VS Code for the Web
 * (code-server) shows its own "Setup VS Code Web" in its place on a profile's first day; asked again
 * with that page in front, it turns the page to ours (with ours in front, it changes nothing).
 */
export async function openWalkthrough(context: vscode.ExtensionContext): Promise<void> {
  await showWalkthrough(context);
  await showWalkthrough(context);
}

const WELCOMED_KEY = 'switchboard.welcomed';
/** How long VS Code may take to open its own first-run walkthrough over ours (VS Code for the Web does). */
const SETTLE_MS = 3_000;

const ourTabOpen = (context: vscode.ExtensionContext) =>
  vscode.window.tabGroups.all.some((group) =>
    group.tabs.some((tab) => tab.label.includes(context.extension.packageJSON.displayName as string)),
  );

/**
 * On the first run on this machine, opens the walkthrough (never again after, and never with
 * `switchboard.showWelcome` off), so a new user starts somewhere that leads on. The walkthrough
 * editor is one for all walkthroughs: when the editor's own first-run walkthrough replaced ours,
 * ours is opened once more.
 */
export async function welcomeOnFirstRun(context: vscode.ExtensionContext): Promise<void> {
  if (context.globalState.get<boolean>(WELCOMED_KEY)) return;
  if (!vscode.workspace.getConfiguration(SECTION).get<boolean>('showWelcome', true)) return;
  await context.globalState.update(WELCOMED_KEY, true);
  await showWalkthrough(context);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  if (!ourTabOpen(context)) await showWalkthrough(context);
}
