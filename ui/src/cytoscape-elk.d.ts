// cytoscape-elk ships no types: it is a Cytoscape extension that registers the layout "elk".
declare module "cytoscape-elk" {
  import type cytoscape from "cytoscape";

  const extension: cytoscape.Ext;
  export default extension;
}
