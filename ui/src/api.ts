// The JSON the `maille ui` server answers (src/Maille.Cli/Ui/UiJson.cs writes it; docs/ui.md describes it).

export interface Topology {
  mode: "files" | "lab";
  source: string;
  nodes: { name: string; internalIP: string | null; podCIDR: string | null }[];
  pods: { name: string; namespace: string; node: string | null; ip: string | null }[];
  services: {
    name: string;
    namespace: string;
    type: string;
    clusterIP: string | null;
    loadBalancer: string[];
    ports: string[];
    endpoints: string[];
  }[];
  ingresses: { name: string; namespace: string; className: string | null; services: string[] }[];
  gateways: { name: string; namespace: string; className: string; services: string[] }[];
}

export interface Matrix {
  pods: string[];
  namespaces: { name: string; start: number; count: number }[];
  ports: string[];
  /** One bitset per port, base64, row-major: bit (from * pods + to) is set when the connection is allowed. */
  allowed: string[];
}

export interface Verdict {
  from: string;
  to: string;
  port: string;
  allowed: boolean;
  reason: string;
}

export interface TraceHop {
  stage: string;
  node: string | null;
  result: string;
  detail: string;
  rule: string | null;
  endpoint: string | null;
}

export interface Trace {
  verdict: string;
  reason: string;
  hops: TraceHop[];
}

/** The view a command would print: its output, its error text and its exit code. */
export interface ViewText {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { credentials: "same-origin" });
  if (!response.ok) {
    throw new Error(`${path}: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as T;
}

export async function postJson<T>(path: string, body: string, contentType: string): Promise<T> {
  const response = await fetch(path, { method: "POST", body, headers: { "Content-Type": contentType }, credentials: "same-origin" });
  if (!response.ok) {
    throw new Error(`${path}: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as T;
}
