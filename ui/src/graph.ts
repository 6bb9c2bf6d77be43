import cytoscape from "cytoscape";
import elk from "cytoscape-elk";
import type { Topology, Trace } from "./api";

cytoscape.use(elk);

/** Element ids: one prefix per kind, so a pod and a Service of one name stay apart. */
export const podId = (name: string) => `pod:${name}`;
export const serviceId = (name: string) => `svc:${name}`;

/**
 * The topology as a Cytoscape graph: the cluster's nodes hold their pods (compound nodes), Services point at their
 * endpoints, Ingresses and Gateways at the Services they route to. ELK's layered algorithm places everything.
 */
export class TopologyGraph {
  private readonly cy: cytoscape.Core;

  constructor(private readonly container: HTMLElement) {
    this.cy = cytoscape({
      container,
      wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 9, "text-valign": "bottom", "text-margin-y": 2 } },
        { selector: 'node[kind = "node"]', style: { "background-color": "#eef2f7", "border-color": "#8aa", "border-width": 1, "text-valign": "top", shape: "round-rectangle" } },
        { selector: 'node[kind = "pod"]', style: { "background-color": "#4a90d9", width: 14, height: 14 } },
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
  }

  /** Draws the topology and resolves once the layout has run. */
  async show(topology: Topology): Promise<void> {
    const elements: cytoscape.ElementDefinition[] = [];
    for (const node of topology.nodes) {
      elements.push({ data: { id: `node:${node.name}`, label: node.name, kind: "node" } });
    }
    const nodeNames = new Set(topology.nodes.map((n) => n.name));
    for (const pod of topology.pods) {
      const parent = pod.node !== null && nodeNames.has(pod.node) ? `node:${pod.node}` : undefined;
      elements.push({ data: { id: podId(pod.name), label: pod.name, kind: "pod", parent, ip: pod.ip } });
    }
    const pods = new Set(topology.pods.map((p) => p.name));
    for (const service of topology.services) {
      elements.push({ data: { id: serviceId(service.name), label: service.name, kind: "svc", lb: service.type === "LoadBalancer" } });
      for (const endpoint of service.endpoints.filter((e) => pods.has(e))) {
        elements.push({ data: { id: `${serviceId(service.name)}->${podId(endpoint)}`, source: serviceId(service.name), target: podId(endpoint) } });
      }
    }
    const services = new Set(topology.services.map((s) => s.name));
    for (const [kind, routers] of [["ing", topology.ingresses], ["gw", topology.gateways]] as const) {
      for (const router of routers) {
        const id = `${kind}:${router.namespace}/${router.name}`;
        elements.push({ data: { id, label: `${router.namespace}/${router.name}`, kind } });
        for (const target of router.services.filter((s) => services.has(s))) {
          elements.push({ data: { id: `${id}->${serviceId(target)}`, source: id, target: serviceId(target) } });
        }
      }
    }

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

    this.container.dataset.pods = String(this.cy.nodes('[kind = "pod"]').length);
    this.container.dataset.services = String(this.cy.nodes('[kind = "svc"]').length);
    this.container.dataset.nodes = String(this.cy.nodes('[kind = "node"]').length);
    this.container.dataset.ready = "true";
  }

  /**
   * Marks a trace's path: the source pod, the Service it addressed, each endpoint the trace reached, and the edges
   * between them. Returns the ids of the nodes marked.
   */
  showTrace(from: string, trace: Trace): string[] {
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
