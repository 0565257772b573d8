/**
 * Type-checks one notebook cell against the cells before it, as tslab does, with the TypeScript
 * compiler running in the kernel's web worker.
 *
 * Each cell N is checked as a module `/repo/<notebook folder>/__cell_N.ts`:
 *   - its own source, unchanged (so diagnostics keep the cell's line numbers), then
 *   - `export { a, b, … };` naming its top-level declarations, so the declaration emit (.d.ts) keeps them, then
 *   - `import { x } from "./__decl_K";` for every earlier name this cell does not redeclare,
 *     K the last cell that declared it (imports are hoisted, so they may come last).
 * After a cell passes, its emitted .d.ts becomes `__decl_N.d.ts` for the cells after it.
 * An imported name cannot be assigned to, so TypeScript's error 2632 ("Cannot assign to 'b'
 * because it is an import") is dropped for names an earlier cell declared with `let` or `var`,
 * and said as tslab says it for the others ("… because it is a constant").
 * The compiler options are tslab's: ES2022, ES modules, Node10 resolution, not `strict`.
 */
import ts from "typescript";
import { mutableNames, topLevelNames } from "./names";

/** What checking a cell gives: errors to show, or the JavaScript to run. */
export interface CellCompilation {
  /** "line:column - message" per error, in the cell's own line numbers; empty when the cell may run. */
  errors: string[];
  /** The cell as JavaScript (ES2022 module syntax; imports of earlier cells still in it). */
  javascript: string;
  /** Names the cell declares at top level. */
  names: string[];
}

const options: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts"],
  esModuleInterop: true,
  declaration: true,
  experimentalDecorators: true,
  resolveJsonModule: true,
  skipLibCheck: true,
  types: [],
  newLine: ts.NewLineKind.LineFeed,
};

/** A TypeScript language service over an in-memory file system (the types shipped with the site). */
export class CellCompiler {
  private readonly files = new Map<string, { text: string; version: number }>();
  private readonly service: ts.LanguageService;
  private readonly directories = new Set<string>(["/"]);
  private readonly declaredIn = new Map<string, number>(); // name → last cell that declared it
  private readonly mutable = new Set<string>(); // names whose last declaration was let or var
  private cellCount = 0;
  private pending:
    { index: number; path: string; names: string[]; mutable: string[]; declarations: string } | undefined;

  /** `files`: path → text (TS's lib files under /ts-lib/, the library's .d.ts under /repo/); `folder`: the notebook's folder, e.g. "/repo/notebooks". */
  constructor(
    files: Record<string, string>,
    private readonly folder: string,
  ) {
    for (const [path, text] of Object.entries(files)) this.files.set(path, { text, version: 0 });
    for (const path of [...this.files.keys(), `${folder}/cell.ts`]) {
      for (let dir = path.slice(0, path.lastIndexOf("/")); dir !== ""; dir = dir.slice(0, dir.lastIndexOf("/")))
        this.directories.add(dir);
    }
    this.service = ts.createLanguageService(this.host(), ts.createDocumentRegistry());
  }

  /** Checks and transpiles one cell. Nothing is remembered until `commit` is called. */
  compile(source: string): CellCompilation {
    const index = this.cellCount + 1;
    const path = `${this.folder}/__cell_${index}.ts`;
    const names = topLevelNames(source);
    this.write(path, source + this.suffix(names));
    const diagnostics = [...this.service.getSyntacticDiagnostics(path), ...this.service.getSemanticDiagnostics(path)];
    const errors = diagnostics
      .filter((d) => d.category === ts.DiagnosticCategory.Error && !this.assignsEarlierLet(d))
      .map((d) =>
        formatDiagnostic(d, source).replace(
          /because it is an import\.$/,
          "because it is a constant (declared with const in an earlier cell).",
        ),
      );
    const output = errors.length === 0 ? this.service.getEmitOutput(path) : undefined;
    const javascript = output?.outputFiles.find((f) => f.name.endsWith(".js"))?.text ?? "";
    const declarations = output?.outputFiles.find((f) => f.name.endsWith(".d.ts"))?.text ?? "";
    this.pending = { index, path, names, mutable: mutableNames(source), declarations };
    return { errors, javascript, names };
  }

  /** Makes the last compiled cell's declarations visible to the cells after it (call after it ran). */
  commit(): void {
    const pending = this.pending;
    this.pending = undefined;
    this.files.delete(pending?.path ?? "");
    if (!pending) return;
    this.cellCount = pending.index;
    this.write(`${this.folder}/__decl_${pending.index}.d.ts`, pending.declarations);
    for (const name of pending.names) {
      this.declaredIn.set(name, pending.index);
      if (pending.mutable.includes(name)) this.mutable.add(name);
      else this.mutable.delete(name);
    }
  }

  /** TS2632 on a name an earlier cell declared with let or var (see the file comment). */
  private assignsEarlierLet(diagnostic: ts.Diagnostic): boolean {
    if (diagnostic.code !== 2632) return false;
    const name = /'([^']+)'/.exec(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"))?.[1];
    return name !== undefined && this.mutable.has(name);
  }

  /** The export list of this cell and the imports of earlier names (see the file comment). */
  private suffix(names: string[]): string {
    const own = new Set(names);
    const imports = new Map<number, string[]>();
    for (const [name, cell] of this.declaredIn) {
      if (!own.has(name)) imports.set(cell, [...(imports.get(cell) ?? []), name]);
    }
    const lines = [...imports].map(([cell, list]) => `import { ${list.join(", ")} } from "./__decl_${cell}";`);
    if (names.length > 0) lines.unshift(`export { ${names.join(", ")} };`);
    return `\n${lines.join("\n")}\n`;
  }

  private write(path: string, text: string): void {
    const old = this.files.get(path);
    this.files.set(path, { text, version: (old?.version ?? 0) + 1 });
  }

  private host(): ts.LanguageServiceHost {
    const files = this.files;
    return {
      getCompilationSettings: () => options,
      getScriptFileNames: () =>
        [...files.keys()].filter((p) => p.startsWith("/globals/") || /\/__cell_\d+\.ts$/.test(p)),
      getScriptVersion: (path) => String(files.get(path)?.version ?? 0),
      getScriptSnapshot: (path) => {
        const file = files.get(path);
        return file ? ts.ScriptSnapshot.fromString(file.text) : undefined;
      },
      getCurrentDirectory: () => this.folder,
      getDefaultLibFileName: () => "/ts-lib/lib.es2022.d.ts",
      fileExists: (path) => files.has(path),
      readFile: (path) => files.get(path)?.text,
      directoryExists: (dir) => this.directories.has(dir.replace(/(.)\/$/, "$1")),
      getDirectories: () => [],
      useCaseSensitiveFileNames: () => true,
    };
  }
}

/** "3:7 - Cannot find name 'foo'." with the line and column in the cell (1-based). */
function formatDiagnostic(diagnostic: ts.Diagnostic, source: string): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  if (diagnostic.file === undefined || diagnostic.start === undefined) return message;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  const where = diagnostic.start <= source.length ? `${line + 1}:${character + 1}` : "(end of cell)";
  return `${where} - ${message}`;
}
