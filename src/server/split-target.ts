/** The scope fields a request target in origin form (`/path?query`) gives. */
export interface RequestTarget {
  /** Percent-decoded; a malformed escape is kept as it arrived. */
  path: string;
  rawPath: string;
  /** Without the `?`. */
  queryString: string;
}

/**
 * Splits an origin-form request target into the scope's path fields: the query string comes off
 * at the first `?`, and the path is percent-decoded. Shared by the server and the test
 * communicators, so a scope built in a test reads a path exactly as one built from a socket.
 *
 * @example
 * ```ts
 * splitTarget("/caf%C3%A9/?x=1"); // { path: "/café/", rawPath: "/caf%C3%A9/", queryString: "x=1" }
 * ```
 */
export function splitTarget(target: string): RequestTarget {
  const question = target.indexOf("?");
  const rawPath = question === -1 ? target : target.slice(0, question);
  return {
    path: decodePath(rawPath),
    rawPath,
    queryString: question === -1 ? "" : target.slice(question + 1),
  };
}

/** Percent-decodes a path; a malformed escape is kept as it arrived rather than failing the request. */
function decodePath(rawPath: string): string {
  if (!rawPath.includes("%")) return rawPath;
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath;
  }
}
