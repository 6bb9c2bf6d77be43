import cytoscape from "cytoscape";
import elk from "cytoscape-elk";
import type { Topology, Trace } from "./api";

cytoscape.use(elk);

/** Element ids: one prefix per kind, so a pod and a Service of one name stay apart. */
export const podId = (name: string) => `pod:${name}`;
export const serviceId = (name: string) => `svc:${name}`;
const nodeId = (name: string) => `node:${name}`;
/** The compound parent of a pod or group on a cluster node; none for one on no node the topology lists. */
const inNode = (node: string | null): { parent?: string } => (node === null ? {} : { parent: nodeId(node) });
const groupId = (node: string | null, namespace: string) => `group:${node ?? ""}/${namespace}`;

/**
 * Past this many pods the graph folds them: the pods of one namespace on one cluster node are one node of the graph
 * ("default: 100 pods") until expanded. A user of a 1,000-pod view looks at groups first, and ELK's layered layout of
 * every pod takes seconds (docs/ui.md, "At scale"); a few dozen groups take a few hundred milliseconds.
 */
export const foldAbove = 200;

type Pod = Topology["pods"][number];

/**
 * The topology as a Cytoscape graph: the cluster's nodes hold their pods (compound nodes), Services point at their
 * endpoints, Ingresses and Gateways at the Services they route to. ELK's layered algorithm places everything. Large
 * clusters start folded (see {@link foldAbove}); tapping a group, finding a pod or tracing through one expands it.
 */
export class TopologyGraph {
  private readonly cy: cytoscape.Core;
  private topology: Topology | null = null;
  /** The groups drawn pod by pod; every other group of a folded graph is one node. */
  private readonly expanded = new Set<string>();
  private folded = false;

  constructor(private readonly container: HTMLElement) {
    this.cy = cytoscape({
      container,
      wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 9, "text-valign": "bottom", "text-margin-y": 2 } },
        { selector: 'node[kind = "node"]', style: { "background-color": "#eef2f7", "border-color": "#8aa", "border-width": 1, "text-valign": "top", shape: "round-rectangle" } },
        { selector: 'node[kind = "pod"]', style: { "background-color": "#4a90d9", width: 14, height: 14 } },
        { selector: 'node[kind = "group"]', style: { "background-color": "#4a90d9", "border-color": "#1f5f9f", "border-width": 2, "border-style": "double", shape: "round-rectangle", width: 40, height: 24, "font-size": 10 } },
        { selector: 'node[kind = "svc"]', style: { "background-color": "#7cb342", shape: "diamond", width: 18, height: 18 } },
        { selector: 'node[kind = "svc"][?lb]', style: { "background-color": "#f9a825", shape: "star" } },
        { selector: 'node[kind = "ing"]', style: { "background-color": "#8e24aa", shape: "hexagon", width: 20, height: 20 } },
        { selector: 'node[kind = "gw"]', style: { "background-color": "#00897b", shape: "octagon", width: 20, height: 20 } },
        { selector: "edge", style: { width: 1, "line-color": "#bbb", "target-arrow-color": "#bbb", "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.6 } },
        { selector: ".on-path", style: { "background-color": "#d32f2f", "line-color": "#d32f2f", "target-arrow-color": "#d32f2f", width: 3, "z-index": 10 } },
        { selector: "node.on-path", style: { width: 22, height: 22, "border-width": 2, "border-color": "#600" } },
        { selector: ".denied-path", style: { "line-style": "dashed" } },
      ],
    });
    this.cy.on("tap", 'node[kind = "group"]', (event) => {
      void this.expand([event.target.id() as string]);
    });
  }

  /** Draws the topology, folded when it has more than {@link foldAbove} pods, and resolves once it is drawn. */
  async show(topology: Topology): Promise<void> {
    this.topology = topology;
    this.folded = topology.pods.length > foldAbove;
    this.expanded.clear();
    await this.draw();
  }

  /** Draws every group folded again (a large cluster's first view). */
  async foldAll(): Promise<void> {
    this.expanded.clear();
    await this.draw();
  }

  /** Draws a pod's group pod by pod and centres the pod; false when the topology has no such pod. */
  async reveal(pod: string): Promise<boolean> {
    const found = this.topology?.pods.find((p) => p.name === pod);
    if (found === undefined) {
      return false;
    }
    await this.expand([this.groupOf(found)]);
    const element = this.cy.getElementById(podId(pod));
    this.cy.elements().removeClass("on-path");
    element.addClass("on-path");
    this.cy.center(element);
    return true;
  }

  private async expand(groups: string[]): Promise<void> {
    const added = groups.filter((g) => this.folded && !this.expanded.has(g));
    if (added.length > 0) {
      added.forEach((g) => this.expanded.add(g));
      await this.draw();
    }
  }

  private groupOf(pod: Pod): string {
    return groupId(this.nodeOf(pod), pod.namespace);
  }

  private nodeOf(pod: Pod): string | null {
    return pod.node !== null && this.topology!.nodes.some((n) => n.name === pod.node) ? pod.node : null;
  }

  /** The id a pod is drawn as: its own, or its group's while the group is folded. */
  private drawnAs(pod: Pod): string {
    const group = this.groupOf(pod);
    return this.folded && !this.expanded.has(group) ? group : podId(pod.name);
  }

  private async draw(): Promise<void> {
    const topology = this.topology!;
    const elements: cytoscape.ElementDefinition[] = [];
    for (const node of topology.nodes) {
      elements.push({ data: { id: nodeId(node.name), label: node.name, kind: "node" } });
    }
    const drawnAs = new Map<string, string>();
    const groups = new Map<string, { node: string | null; namespace: string; pods: number }>();
    for (const pod of topology.pods) {
      const id = this.drawnAs(pod);
      drawnAs.set(pod.name, id);
      const node = this.nodeOf(pod);
      if (id === podId(pod.name)) {
        elements.push({ data: { id, label: pod.name, kind: "pod", ...inNode(node), ip: pod.ip } });
      } else {
        const group = groups.get(id) ?? { node, namespace: pod.namespace, pods: 0 };
        group.pods++;
        groups.set(id, group);
      }
    }
    for (const [id, group] of groups) {
      elements.push({ data: { id, label: `${group.namespace}: ${group.pods} pods`, kind: "group", ...inNode(group.node), pods: group.pods } });
    }
    // Edges to pods of a folded group go to the group, once.
    const edges = new Set<string>();
    const edge = (source: string, target: string) => {
      const id = `${source}->${target}`;
      if (!edges.has(id)) {
        edges.add(id);
        elements.push({ data: { id, source, target } });
      }
    };
    for (const service of topology.services) {
      elements.push({ data: { id: serviceId(service.name), label: service.name, kind: "svc", lb: service.type === "LoadBalancer" } });
      for (const endpoint of service.endpoints) {
        const target = drawnAs.get(endpoint);
        if (target !== undefined) {
          edge(serviceId(service.name), target);
        }
      }
    }
    const services = new Set(topology.services.map((s) => s.name));
    for (const [kind, routers] of [["ing", topology.ingresses], ["gw", topology.gateways]] as const) {
      for (const router of routers) {
        const id = `${kind}:${router.namespace}/${router.name}`;
        elements.push({ data: { id, label: `${router.namespace}/${router.name}`, kind } });
        for (const target of router.services.filter((s) => services.has(s))) {
          edge(id, serviceId(target));
        }
      }
    }

    delete this.container.dataset.ready;
    this.cy.elements().remove();
    this.cy.add(elements);
    const layout = this.cy.layout({
      name: "elk",
      nodeDimensionsIncludeLabels: false,
      fit: true,
      elk: {
        algorithm: "layered",
        "elk.direction": "RIGHT",
        "elk.hierarchyHandling": "INCLUDE_CHILDREN",
        "elk.layered.spacing.nodeNodeBetweenLayers": 40,
        "elk.spacing.nodeNode": 12,
      },
    } as cytoscape.LayoutOptions);
    const done = layout.promiseOn("layoutstop");
    layout.run();
    await done;
    // Cytoscape paints on the next animation frame: the graph is drawn once that frame has run.
    await new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));

    const drawnPods = this.cy.nodes('[kind = "pod"]').length;
    const foldedPods = this.cy.nodes('[kind = "group"]').reduce((sum, g) => sum + (g.data("pods") as number), 0);
    Object.assign(this.container.dataset, {
      pods: String(drawnPods + foldedPods),
      drawnPods: String(drawnPods),
      groups: String(groups.size),
      services: String(this.cy.nodes('[kind = "svc"]').length),
      nodes: String(this.cy.nodes('[kind = "node"]').length),
      ready: "true",
    });
  }

  /**
   * Marks a trace's path: the source pod, the Service it addressed, each endpoint the trace reached, and the edges
   * between them; the folded groups of those pods are expanded first. Returns the ids of the nodes marked.
   */
  async showTrace(from: string, trace: Trace): Promise<string[]> {
    const onPath = new Set([from, ...trace.hops.map((h) => h.endpoint).filter((e): e is string => e !== null)]);
    await this.expand((this.topology?.pods ?? []).filter((p) => onPath.has(p.name)).map((p) => this.groupOf(p)));
    this.cy.remove(".trace-edge");
    this.cy.elements().removeClass("on-path denied-path");
    const marked: string[] = [];
    const mark = (id: string) => {
      const element = this.cy.getElementById(id);
      if (element.nonempty()) {
        element.addClass("on-path");
        if (element.isNode()) {
          marked.push(id);
        }
      }
    };

    // The source's first step has no edge of the topology (a pod does not point at what it calls): the trace adds it.
    const step = (source: string, target: string) => {
      if (this.cy.getElementById(source).nonempty() && this.cy.getElementById(target).nonempty()) {
        this.cy.add({ group: "edges", data: { id: `trace:${source}->${target}`, source, target }, classes: "trace-edge on-path" });
      }
    };

    mark(podId(from));
    const serviceHop = trace.hops.find((h) => h.stage === "service" && h.rule !== null);
    const service = serviceHop?.rule?.split(" ")[0];
    if (service !== undefined) {
      mark(serviceId(service));
      step(podId(from), serviceId(service));
    }
    const endpoints = new Set(trace.hops.map((h) => h.endpoint).filter((e): e is string => e !== null));
    for (const endpoint of endpoints) {
      const refused = trace.hops.some((h) => h.endpoint === endpoint && (h.stage.endsWith("-policy") && h.result !== "allowed"));
      mark(podId(endpoint));
      if (service === undefined) {
        step(podId(from), podId(endpoint));
      } else {
        mark(`${serviceId(service)}->${podId(endpoint)}`);
      }
      if (refused) {
        this.cy.edges(`[target = "${podId(endpoint)}"]`).filter(".on-path").addClass("denied-path");
      }
    }
    this.container.dataset.path = marked.join(" ");
    return marked;
  }
}
