/**
 * The names a cell declares at top level (values and types): imports, `const`/`let`/`var`
 * (destructuring included), functions, classes, interfaces, type aliases, enums, namespaces.
 * These are the names that later cells see, as in tslab.
 */
import ts from "typescript";

/** Top-level names of a TypeScript cell, each once, in order of appearance. */
export function topLevelNames(source: string): string[] {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const names: string[] = [];
  for (const statement of file.statements) names.push(...statementNames(statement));
  return [...new Set(names)];
}

/** The names a cell declares with `let` or `var`: later cells may assign to them. */
export function mutableNames(source: string): string[] {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  return file.statements
    .filter(ts.isVariableStatement)
    .filter((s) => !(s.declarationList.flags & ts.NodeFlags.Const))
    .flatMap((s) => s.declarationList.declarations.flatMap((d) => bindingNames(d.name)));
}

function statementNames(statement: ts.Statement): string[] {
  if (ts.isImportDeclaration(statement)) return importNames(statement.importClause);
  if (ts.isImportEqualsDeclaration(statement)) return [statement.name.text];
  if (ts.isVariableStatement(statement))
    return statement.declarationList.declarations.flatMap((d) => bindingNames(d.name));
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement))
    return statement.name ? [statement.name.text] : [];
  if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement))
    return [statement.name.text];
  if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) return [statement.name.text];
  return [];
}

function importNames(clause: ts.ImportClause | undefined): string[] {
  if (!clause) return [];
  const names = clause.name ? [clause.name.text] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
  if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements.map((e) => e.name.text));
  return names;
}

/** `a`, or every name inside `{ a, b: [c, ...d] }`. */
export function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : bindingNames(element.name)));
}
