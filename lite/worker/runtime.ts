/**
 * Runs a cell's JavaScript so that its top-level declarations persist for later cells, as in tslab.
 *
 * Top-level names live on the worker's global object (one kernel per worker), and each
 * top-level declaration becomes an assignment to it:
 *   const a = 1, { b } = c;          →  a = 1; ({ b } = c);
 *   function f() {}                  →  f = function f() {};        (moved to the top: hoisting)
 *   class K {}                       →  K = class K {};
 *   import * as lab from "..";       →  lab = __modules.require("..");
 *   import { x as y } from "m";      →  ({ x: y } = __modules.require("m"));
 *   import … from "./__decl_3";      →  (dropped: earlier cells' names are already there)
 *   f(x)            (last statement) →  return (f(x));               (tslab prints it unless null or undefined)
 * and the cell runs as `(async () => { … })()`, so top-level `await` works. Global property reads
 * are fast in V8, so loops in cells run at full speed, and functions defined in a cell see later
 * changes of the names they use. A name the worker already has (`name`, `location`, `console`, …)
 * is kept apart instead, on a small object the cell reads through `with (shadowed) { … }`, so a
 * cell never overwrites the worker's own globals (`with` makes name lookups in that cell slower).
 * This needs sloppy-mode code: the TypeScript check has already rejected what strict mode would.
 */
import ts from "typescript";
import { bindingNames } from "./names";

/** A cell made runnable: the function body and the names it declares. */
export interface RunnableCell {
  body: string;
  names: string[];
}

/** Rewrites the emitted JavaScript of a cell (see the file comment). */
export function makeRunnable(javascript: string): RunnableCell {
  const file = ts.createSourceFile("cell.js", javascript, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const hoisted: string[] = [];
  const body: string[] = [];
  const names: string[] = [];
  const statements = file.statements.filter((s) => !isEarlierCellImport(s) && !ts.isExportDeclaration(s));
  statements.forEach((statement, index) => {
    const text = withoutExport(statement.getText(file));
    const last = index === statements.length - 1;
    if (ts.isImportDeclaration(statement)) body.push(importAssignment(statement, names));
    else if (ts.isVariableStatement(statement)) body.push(variableAssignment(statement, file, names));
    else if (ts.isFunctionDeclaration(statement) && statement.name) {
      names.push(statement.name.text);
      hoisted.push(`${statement.name.text} = ${text};`);
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      names.push(statement.name.text);
      body.push(`${statement.name.text} = ${text};`);
    } else if (last && ts.isExpressionStatement(statement))
      body.push(`return (${statement.expression.getText(file)});`);
    else body.push(text);
  });
  return { body: [...hoisted, ...body].join("\n"), names: [...new Set(names)] };
}

/** Where a kernel's top-level names live: the global object, or `shadowed` for names the worker already had. */
export class CellScope {
  private readonly builtins: Set<string>;
  private readonly shadowed = Object.create(null) as Record<string, unknown>;

  constructor(private readonly global: Record<string, unknown> = globalThis) {
    this.builtins = new Set<string>();
    for (let o: object | null = global; o !== null; o = Object.getPrototypeOf(o) as object | null)
      Object.getOwnPropertyNames(o).forEach((n) => this.builtins.add(n));
  }

  /** Runs a cell; resolves to the value of its last expression statement (undefined if none). */
  run(cell: RunnableCell, modules: { require(specifier: string): unknown }, label: string): Promise<unknown> {
    for (const name of cell.names) {
      const home = this.builtins.has(name) ? this.shadowed : this.global;
      if (!Object.prototype.hasOwnProperty.call(home, name)) home[name] = undefined;
    }
    const body = `return (async () => {\n${cell.body}\n})();`;
    const code = Object.keys(this.shadowed).length > 0 ? `with (__shadowed) { ${body} }` : body;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running a cell is the runtime's job
    const run = new Function("__shadowed", "__modules", `${code}\n//# sourceURL=${label}`) as (
      shadowed: object,
      modules: object,
    ) => Promise<unknown>;
    return run(this.shadowed, modules);
  }

  /** The value of a top-level name (tests). */
  get(name: string): unknown {
    return name in this.shadowed ? this.shadowed[name] : this.global[name];
  }
}

function isEarlierCellImport(statement: ts.Statement): boolean {
  return (
    ts.isImportDeclaration(statement) &&
    ts.isStringLiteral(statement.moduleSpecifier) &&
    /^\.\/__decl_\d+$/.test(statement.moduleSpecifier.text)
  );
}

function withoutExport(text: string): string {
  return text.replace(/^export\s+(default\s+)?/, "");
}

function importAssignment(statement: ts.ImportDeclaration, names: string[]): string {
  const specifier = JSON.stringify((statement.moduleSpecifier as ts.StringLiteral).text);
  const module = `__modules.require(${specifier})`;
  const clause = statement.importClause;
  if (!clause) return `${module};`;
  const lines: string[] = [];
  if (clause.name) {
    names.push(clause.name.text);
    lines.push(`${clause.name.text} = __modules.defaultOf(${module});`);
  }
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) {
    names.push(bindings.name.text);
    lines.push(`${bindings.name.text} = ${module};`);
  } else if (bindings && bindings.elements.length > 0) {
    const parts = bindings.elements.map((e) => {
      names.push(e.name.text);
      return e.propertyName ? `${e.propertyName.text}: ${e.name.text}` : e.name.text;
    });
    lines.push(`({ ${parts.join(", ")} } = ${module});`);
  }
  return lines.join("\n");
}

function variableAssignment(statement: ts.VariableStatement, file: ts.SourceFile, names: string[]): string {
  const isVar = !(statement.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const));
  return statement.declarationList.declarations
    .map((declaration) => {
      names.push(...bindingNames(declaration.name));
      const target = declaration.name.getText(file);
      if (!declaration.initializer) return isVar ? "" : `${target} = undefined;`;
      const value = declaration.initializer.getText(file);
      return ts.isIdentifier(declaration.name) ? `${target} = ${value};` : `(${target} = ${value});`;
    })
    .join("\n");
}
