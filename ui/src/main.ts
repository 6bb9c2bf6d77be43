import "./style.css";
import { getJson, postJson, type Matrix, type Topology, type Trace, type Verdict, type ViewText } from "./api";
import { foldAbove, TopologyGraph } from "./graph";
import { Heatmap } from "./heatmap";

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const status = $("#status");

function say(text: string): void {
  status.textContent = text;
}

function formValue(form: HTMLFormElement, name: string): string {
  return (form.elements.namedItem(name) as HTMLInputElement).value.trim();
}

const graph = new TopologyGraph($("#graph"));
const heatmap = new Heatmap($("#heatmap"), $("#cell-info"), async (from, to, port) => {
  const query = new URLSearchParams({ from, to, port });
  return (await getJson<Verdict>(`api/verdict?${query}`)).reason;
});

async function loadTopology(started: number): Promise<Topology> {
  const topology = await getJson<Topology>("api/topology");
  $("#source").textContent = topology.source;
  await graph.show(topology);
  const elapsed = performance.now() - started;
  $("#graph").dataset.renderMs = String(Math.round(elapsed));
  $("#graph-summary").textContent =
    `${topology.nodes.length} nodes, ${topology.pods.length} pods, ${topology.services.length} Services, ` +
    `${topology.ingresses.length} Ingresses, ${topology.gateways.length} Gateways (drawn in ${Math.round(elapsed)} ms)` +
    (topology.pods.length > foldAbove ? `; more than ${foldAbove} pods: each namespace's pods on a node are one box until tapped or found` : "");
  $("#graph-controls").hidden = topology.pods.length <= foldAbove;
  if (topology.mode === "lab") {
    $("#flows-panel").hidden = false;
    $("#whatif-hint").textContent = "Compared with the lab's running plan; the flows its nodes tracked that the change would cut are listed.";
  } else {
    $("#whatif-hint").textContent = "Compared with the files loaded: the objects given replace those of the same kind, namespace and name, or are added.";
  }
  return topology;
}

async function loadMatrix(): Promise<void> {
  const matrix = await getJson<Matrix>("api/matrix");
  const select = $<HTMLSelectElement>("#matrix-port");
  select.replaceChildren(...matrix.ports.map((p, i) => new Option(p, String(i))));
  heatmap.show(matrix);
  $("#heatmap").dataset.ready = "true";
}

$<HTMLSelectElement>("#matrix-port").addEventListener("change", (e) => heatmap.setPort(Number((e.target as HTMLSelectElement).value)));
$<HTMLInputElement>("#matrix-zoom").addEventListener("input", (e) => heatmap.setCellSize(Number((e.target as HTMLInputElement).value)));

$<HTMLFormElement>("#cell-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const form = e.target as HTMLFormElement;
  void heatmap.selectByName(formValue(form, "from"), formValue(form, "to"));
});

$<HTMLFormElement>("#trace-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const form = e.target as HTMLFormElement;
  const from = formValue(form, "from");
  const result = $("#trace-result");
  result.replaceChildren();
  delete result.dataset.verdict;
  try {
    const trace = await getJson<Trace>(`api/trace?${new URLSearchParams({ from, to: formValue(form, "to") })}`);
    const marked = await graph.showTrace(from, trace);
    result.dataset.verdict = trace.verdict;
    const heading = document.createElement("p");
    heading.className = `verdict ${trace.verdict}`;
    heading.textContent = `${trace.verdict}: ${trace.reason} (${marked.length} elements marked on the graph)`;
    const list = document.createElement("ol");
    for (const hop of trace.hops) {
      const item = document.createElement("li");
      item.textContent = `${hop.stage}${hop.node === null ? "" : ` on ${hop.node}`}: ${hop.result} — ${hop.detail}`;
      list.append(item);
    }
    result.append(heading, list);
  } catch (error) {
    result.textContent = String(error);
    result.dataset.verdict = "error";
  }
});

$<HTMLFormElement>("#whatif-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const form = e.target as HTMLFormElement;
  const result = $("#whatif-result");
  result.textContent = "comparing…";
  try {
    const view = await postJson<ViewText>("api/whatif", (form.elements.namedItem("yaml") as HTMLTextAreaElement).value, "application/yaml");
    result.dataset.exitCode = String(view.exitCode);
    const pre = document.createElement("pre");
    pre.textContent = view.stdout + view.stderr;
    result.replaceChildren(pre);
  } catch (error) {
    result.textContent = String(error);
  }
});

let flows: EventSource | null = null;
$<HTMLFormElement>("#flows-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const form = e.target as HTMLFormElement;
  flows?.close();
  const body = $<HTMLTableSectionElement>("#flows tbody");
  body.replaceChildren();
  const query = new URLSearchParams({ verdict: (form.elements.namedItem("verdict") as HTMLSelectElement).value });
  for (const name of ["from", "to"]) {
    if (formValue(form, name) !== "") {
      query.set(name, formValue(form, name));
    }
  }
  flows = new EventSource(`api/flows?${query}`);
  flows.onmessage = (message) => {
    const flow = JSON.parse(message.data as string) as Record<string, unknown>;
    const row = body.insertRow(0);
    row.className = String(flow.kind === "Flow" ? flow.verdict : flow.kind);
    const cells = flow.kind === "Flow"
      ? [flow.time, flow.node, flow.from ?? flow.fromIP, flow.to ?? flow.toIP, flow.service ?? "-", `${flow.port}/${flow.protocol}`, flow.verdict, flow.rule]
      : [flow.time, flow.node ?? "-", flow.kind, "", "", "", flow.kind === "Lost" ? `${flow.count} lost (${flow.source})` : "", flow.message ?? ""];
    for (const value of cells) {
      row.insertCell().textContent = String(value ?? "");
    }
    // The table keeps the newest 500 rows: a busy lab would otherwise grow the page without end.
    while (body.rows.length > 500) {
      body.deleteRow(body.rows.length - 1);
    }
  };
  flows.onerror = () => say("flows: the stream closed; Watch again to reopen it");
});

$<HTMLFormElement>("#pod-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const pod = formValue(e.target as HTMLFormElement, "pod");
  say(await graph.reveal(pod) ? "" : `no pod ${pod} in the topology`);
});
$("#fold-all").addEventListener("click", () => void graph.foldAll());

// The topology and the matrix are asked for at once: the heatmap does not wait for the graph's layout.
async function start(): Promise<void> {
  say("loading…");
  const started = performance.now();
  const results = await Promise.allSettled([loadTopology(started), loadMatrix()]);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  say(failed.map((r) => String(r.reason)).join("; "));
}

void start();
