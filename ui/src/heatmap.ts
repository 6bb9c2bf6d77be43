import type { Matrix } from "./api";

const allowedColor = "#43a047";
const deniedColor = "#e53935";
const gutterLeft = 140;
const gutterTop = 22;

/** The item at an index the caller knows is in range (a cell's row or column, the port shown). */
function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) {
    throw new RangeError(`index ${index} out of ${list.length}`);
  }
  return item;
}

/** Decodes one port's bitset: bit (from * pods + to), least significant bit of each byte first. */
function decode(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    bytes[i] = text.charCodeAt(i);
  }
  return bytes;
}

/**
 * The reachability matrix as a heatmap on one canvas, rows (sources) and columns (destinations) grouped by namespace.
 * Virtualized: the canvas is the size of the view and draws only the cells in sight, over a spacer as large as the
 * whole matrix that gives the scroll bars their range, so 5,000 pods cost 25 million bits, not 25 million elements.
 */
export class Heatmap {
  private matrix: Matrix | null = null;
  private bits: Uint8Array[] = [];
  private index = new Map<string, number>();
  private port = 0;
  private cell = 12;
  private selected: { from: number; to: number } | null = null;
  private readonly canvas: HTMLCanvasElement;
  private readonly spacer: HTMLElement;

  constructor(private readonly container: HTMLElement, private readonly info: HTMLElement, private readonly explain: (from: string, to: string, port: string) => Promise<string>) {
    this.canvas = container.querySelector("canvas")!;
    this.spacer = container.querySelector("#heatmap-spacer")!;
    container.addEventListener("scroll", () => this.draw());
    window.addEventListener("resize", () => this.draw());
    this.canvas.addEventListener("mousemove", (e) => {
      const cell = this.cellAt(e.offsetX, e.offsetY);
      this.canvas.title = cell === null ? "" : this.describe(cell.from, cell.to);
    });
    this.canvas.addEventListener("click", (e) => {
      const cell = this.cellAt(e.offsetX, e.offsetY);
      if (cell !== null) {
        void this.select(cell.from, cell.to);
      }
    });
  }

  show(matrix: Matrix): void {
    this.matrix = matrix;
    this.bits = matrix.allowed.map(decode);
    this.index = new Map(matrix.pods.map((p, i) => [p, i]));
    this.port = 0;
    this.selected = null;
    this.container.dataset.pods = String(matrix.pods.length);
    this.resize();
  }

  setPort(port: number): void {
    this.port = port;
    this.draw();
    if (this.selected !== null) {
      void this.select(this.selected.from, this.selected.to);
    }
  }

  setCellSize(size: number): void {
    this.cell = size;
    this.resize();
  }

  allowed(from: number, to: number): boolean {
    const n = this.matrix!.pods.length;
    const bit = from * n + to;
    return ((this.bits[this.port]?.[bit >> 3] ?? 0) & (1 << (bit & 7))) !== 0;
  }

  /** Selects the cell of two pods by name, scrolls it into view and says its verdict; false when a pod is unknown. */
  async selectByName(from: string, to: string): Promise<boolean> {
    const f = this.index.get(from);
    const t = this.index.get(to);
    if (f === undefined || t === undefined) {
      this.info.textContent = `no pod ${f === undefined ? from : to} in the matrix`;
      delete this.info.dataset.allowed;
      return false;
    }
    this.container.scrollLeft = Math.max(0, t * this.cell - this.container.clientWidth / 2);
    this.container.scrollTop = Math.max(0, f * this.cell - this.container.clientHeight / 2);
    await this.select(f, t);
    return true;
  }

  private async select(from: number, to: number): Promise<void> {
    const matrix = this.matrix!;
    this.selected = { from, to };
    this.draw();
    const { x, y } = this.cellOrigin(from, to);
    Object.assign(this.info.dataset, {
      from: matrix.pods[from],
      to: matrix.pods[to],
      port: matrix.ports[this.port],
      allowed: String(this.allowed(from, to)),
      x: String(Math.floor(x + this.cell / 2)),
      y: String(Math.floor(y + this.cell / 2)),
    });
    this.info.textContent = this.describe(from, to);
    try {
      this.info.textContent = `${this.describe(from, to)}: ${await this.explain(at(matrix.pods, from), at(matrix.pods, to), at(matrix.ports, this.port))}`;
    } catch (e) {
      this.info.textContent = `${this.describe(from, to)} (${String(e)})`;
    }
  }

  private describe(from: number, to: number): string {
    const matrix = this.matrix!;
    return `${matrix.pods[from]} → ${matrix.pods[to]} on ${matrix.ports[this.port]}: ${this.allowed(from, to) ? "allowed" : "denied"}`;
  }

  private cellOrigin(from: number, to: number): { x: number; y: number } {
    return { x: gutterLeft + to * this.cell - this.container.scrollLeft, y: gutterTop + from * this.cell - this.container.scrollTop };
  }

  private cellAt(x: number, y: number): { from: number; to: number } | null {
    const n = this.matrix?.pods.length ?? 0;
    const to = Math.floor((x - gutterLeft + this.container.scrollLeft) / this.cell);
    const from = Math.floor((y - gutterTop + this.container.scrollTop) / this.cell);
    return x < gutterLeft || y < gutterTop || to >= n || from >= n ? null : { from, to };
  }

  private resize(): void {
    const n = this.matrix?.pods.length ?? 0;
    this.spacer.style.width = `${gutterLeft + n * this.cell}px`;
    this.spacer.style.height = `${gutterTop + n * this.cell}px`;
    this.draw();
  }

  /** Draws the cells in sight, the namespace bands and the selection; the canvas stays at the view's corner. */
  private draw(): void {
    const matrix = this.matrix;
    const width = this.container.clientWidth;
    const height = this.container.clientHeight;
    this.canvas.width = width;
    this.canvas.height = height;
    this.canvas.style.transform = `translate(${this.container.scrollLeft}px, ${this.container.scrollTop}px)`;
    const g = this.canvas.getContext("2d")!;
    g.clearRect(0, 0, width, height);
    if (matrix === null || matrix.ports.length === 0) {
      g.fillText(matrix === null ? "" : "No ports: the pods declare no containerPort.", 10, 20);
      return;
    }

    const n = matrix.pods.length;
    const cell = this.cell;
    const left = this.container.scrollLeft;
    const top = this.container.scrollTop;
    const firstCol = Math.max(0, Math.floor(left / cell));
    const lastCol = Math.min(n - 1, Math.floor((left + width - gutterLeft) / cell));
    const firstRow = Math.max(0, Math.floor(top / cell));
    const lastRow = Math.min(n - 1, Math.floor((top + height - gutterTop) / cell));
    const gap = cell >= 6 ? 1 : 0;
    g.save();
    g.beginPath();
    g.rect(gutterLeft, gutterTop, width - gutterLeft, height - gutterTop);
    g.clip();
    for (let from = firstRow; from <= lastRow; from++) {
      const y = gutterTop + from * cell - top;
      for (let to = firstCol; to <= lastCol; to++) {
        g.fillStyle = this.allowed(from, to) ? allowedColor : deniedColor;
        g.fillRect(gutterLeft + to * cell - left, y, cell - gap, cell - gap);
      }
    }
    g.restore();

    // Namespace bands: a line between groups, the namespace's name at the start of its rows and columns.
    g.strokeStyle = "#222";
    g.fillStyle = "#222";
    g.font = "11px sans-serif";
    for (const ns of matrix.namespaces) {
      const rowY = gutterTop + ns.start * cell - top;
      const colX = gutterLeft + ns.start * cell - left;
      if (rowY >= gutterTop - 1 && rowY <= height) {
        g.beginPath();
        g.moveTo(0, rowY);
        g.lineTo(width, rowY);
        g.stroke();
      }
      if (colX >= gutterLeft - 1 && colX <= width) {
        g.beginPath();
        g.moveTo(colX, 0);
        g.lineTo(colX, height);
        g.stroke();
      }
      const labelY = Math.max(gutterTop + 11, rowY + 11);
      if (labelY < gutterTop + (ns.start + ns.count) * cell - top) {
        g.fillText(ns.name, 4, labelY, gutterLeft - 8);
      }
      const labelX = Math.max(gutterLeft + 2, colX + 2);
      if (labelX < gutterLeft + (ns.start + ns.count) * cell - left) {
        g.fillText(ns.name, labelX, 14, Math.max(20, ns.count * cell - 4));
      }
    }

    if (this.selected !== null) {
      const { x, y } = this.cellOrigin(this.selected.from, this.selected.to);
      g.strokeStyle = "#000";
      g.lineWidth = 2;
      g.strokeRect(x - 1, y - 1, cell + 1, cell + 1);
    }
  }
}
