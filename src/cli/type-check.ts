import * as path from 'node:path';
import ts from 'typescript';
import { cacheOf, isTypeScript, recordClean, unchangedSinceClean } from './type-check-cache.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { packageRoot, runsFromSources } from '../package-info.js';
import { append } from '../model/collections.js';

/**
 * Type-checks a mesh program the way `tsc --noEmit` would with the program's own tsconfig.json, before p2c runs it:
 * tsx runs TypeScript without checking types, and a misspelt optional prop (`frontProxyURL`) would otherwise fall
 * back to its default silently. Only the user's files are reported, never p2c's own or anything in node_modules.
 *
 * Two caches keep a warm synth fast: TypeScript's incremental build info, and a record of every input file's hash
 * from the last clean check, so an unchanged program is not even parsed again.
 */
export function typeCheckProgram(entry: string): Diagnostic[] {
  const file = path.resolve(entry);
  if (!isTypeScript(file)) return [];
  const cache = cacheOf(file);
  if (unchangedSinceClean(cache, file)) return []; // the caller usually asked already, without loading TypeScript
  const { options, problems, configFiles } = compilerOptionsFor(file);
  if (problems.length) return problems.map((d) => toFinding(d, file));
  options.tsBuildInfoFile = cache.buildInfo;

  const host = ts.createIncrementalCompilerHost(options);
  const program = ts.createIncrementalProgram({ rootNames: [file], options, host });
  const own = program.getSourceFiles().filter((sf) => isUsers(sf.fileName));
  const found = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...own.flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]),
  ].filter((d) => d.category === ts.DiagnosticCategory.Error);
  // With noEmit, emit writes only the build info: the next run re-checks just what changed.
  program.emit();
  if (found.length === 0) {
    // TypeScript's own lib files change only with its version, which the record holds.
    const libDir = path.dirname(ts.getDefaultLibFilePath(options));
    const inputs = program.getSourceFiles().map((sf) => sf.fileName).filter((f) => !f.startsWith(libDir));
    recordClean(cache, [...configFiles, ...inputs]);
  }
  return found.map((d) => toFinding(d, file));
}

/** The program's own tsconfig.json when it has one (its compiler options, not its file list), else strict defaults. */
function compilerOptionsFor(file: string): { options: ts.CompilerOptions; problems: ts.Diagnostic[]; configFiles: string[] } {
  const configFile = ts.findConfigFile(path.dirname(file), ts.sys.fileExists);
  // A clone of p2c runs `import 'p2c'` from its sources (bin/p2c.js adds the condition at run time): check alike.
  const conditions = runsFromSources ? ['p2c-source'] : [];
  const forced: ts.CompilerOptions = { noEmit: true, incremental: true };
  if (!configFile) {
    return {
      options: {
        ...forced,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        strict: true,
        skipLibCheck: true,
        allowImportingTsExtensions: true,
        customConditions: conditions,
      },
      problems: [],
      configFiles: [],
    };
  }
  const problems: ts.Diagnostic[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => problems.push(d),
  });
  if (!parsed) return { options: forced, problems, configFiles: [configFile] };
  // An empty `include` match is no problem here: the program is checked from its entry, not the tsconfig's files.
  append(problems, parsed.errors.filter((d) => d.code !== 18003));
  const customConditions = [...new Set([...(parsed.options.customConditions ?? []), ...conditions])];
  // A config that `extends` another changes with it.
  const configFiles = [configFile, ...((parsed.options['configFile'] as ts.TsConfigSourceFile | undefined)?.extendedSourceFiles ?? [])];
  return { options: { ...parsed.options, ...forced, ...(customConditions.length ? { customConditions } : {}) }, problems, configFiles };
}

/** p2c's own sources (when it runs from a clone) and installed packages are not the user's to fix. */
function isUsers(fileName: string): boolean {
  const f = path.resolve(fileName);
  if (f.split(path.sep).includes('node_modules')) return false;
  if (f.endsWith('.d.ts')) return false;
  return !['src', 'constructs'].some((dir) => f.startsWith(path.join(packageRoot, dir) + path.sep));
}

/** `file:line: TS2561: … Did you mean …?` as a p2c finding, with the suggestion as its fix. */
function toFinding(d: ts.Diagnostic, entry: string): Diagnostic {
  const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  const [first, ...rest] = text.split('\n').map((l) => l.trim());
  // The last line of a chain says the precise reason ("'x' is not assignable to 'y'"); the first, where.
  const message = `TS${d.code}: ${first}${rest.length ? ` (${rest[rest.length - 1]})` : ''}`;
  let location = path.relative(process.cwd(), entry) || entry;
  let written: string | undefined;
  if (d.file && d.start !== undefined) {
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    location = `${path.relative(process.cwd(), d.file.fileName) || d.file.fileName}:${line + 1}`;
    written = d.file.text.slice(d.start, d.start + (d.length ?? 0));
  }
  // A type error belongs to a line of the program, not to a construct: an empty path, so none is shown.
  return diagnostic('typeError', { path: '', location: () => location }, message, fixOf(text, d.code, written));
}

/** TypeScript's own suggestion, turned into an instruction. */
function fixOf(text: string, code: number, written: string | undefined): string | undefined {
  const suggestion = /Did you mean(?: to write)? '([^']+)'\?/.exec(text)?.[1];
  if (suggestion) return written && /^[\w$.]+$/.test(written) ? `write '${suggestion}' for '${written}'` : `did you mean '${suggestion}'?`;
  const missing = /Property '([^']+)' is missing in type/.exec(text)?.[1];
  if (missing) return `add the required property '${missing}'`;
  if (code === 2307 || code === 2792) return 'install the package (npm install) or correct the import path';
  return undefined;
}

