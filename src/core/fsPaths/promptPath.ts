/**
 * The name a prompt gives a file. A backend sees the path relative to the workspace folder, which
 * says where in the project the code is; never an absolute path, which names the user
 * (`/home/alice/…`, `C:\Users\alice\…`) and how their disk is laid out. A file outside every
 * workspace folder (opened from the home directory, an untitled file saved anywhere, a window with
 * no folder) goes by its file name alone: the extension still tells the model the language.
 */

/** Where the file's workspace folder is and the user's home directory, both absolute. */
export interface PromptPathPlace {
  folder: string;
  home: string;
}

/** `path` as a prompt may carry it: relative as given, or the file name alone when it is absolute. */
export function promptPath(path: string, place?: PromptPathPlace): string {
  // One line: a path with a line break could write lines of its own into the prompt.
  const flat = path.replace(/[\r\n]+/g, ' ');
  // A folder above the home directory (`/`, `/home`) makes a relative path start with the user's name.
  if (isAbsolute(flat) || (place !== undefined && strictlyInside(place.home, place.folder))) return fileName(flat);
  return flat;
}

/** POSIX (`/…`), home (`~/…`), Windows drive (`C:\…`, `c:/…`) and UNC (`\\server\…`) paths, and URIs. */
function isAbsolute(path: string): boolean {
  return /^(?:[/\\~]|[A-Za-z]:(?:[/\\]|$)|[A-Za-z][A-Za-z0-9+.-]+:\/)/.test(path);
}

function fileName(path: string): string {
  const parts = path.split(/[/\\]/).filter((part) => part !== '');
  return parts.at(-1) ?? '';
}

function strictlyInside(inner: string, outer: string): boolean {
  const normal = (path: string) => path.replace(/\\/g, '/').replace(/\/+$/, '');
  const a = normal(inner);
  const b = normal(outer);
  // Windows paths compare without case: `C:\Users` and `c:\users` are one folder.
  const windows = /^[A-Za-z]:/.test(a);
  const [x, y] = windows ? [a.toLowerCase(), b.toLowerCase()] : [a, b];
  return x.length > y.length && x.startsWith(y === '' ? '/' : `${y}/`);
}
