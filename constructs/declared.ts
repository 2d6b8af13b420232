import { Construct } from 'constructs';
import type { CheckId } from '../src/diagnostics/codes.js';
import { captureCallSite } from './call-site.js';
import { callSiteOf } from './object-call-sites.js';
import { checkProps } from './props-check.js';
import type { Origin } from '../src/model/origin.js';

/** A problem noticed while a construct was declared; reported with all others at synth. */
export interface DeclarationProblem {
  readonly check: CheckId;
  readonly message: string;
  readonly hint?: string;
}

/**
 * What every p2c construct records about itself: where it was declared and what was
 * wrong with its props. Constructs never throw for bad input, so that one synth can
 * report every problem at once.
 */
export class Declaration {
  readonly problems: DeclarationProblem[] = [];
  private readonly where: () => string | undefined;
  constructor(private readonly scope: Construct) {
    // The construct joined the tree a moment ago and its call site was taken then; capture only if it was not.
    this.where = callSiteOf(scope) ?? captureCallSite();
  }

  get origin(): Origin {
    return { path: this.scope.node.path, location: this.where };
  }
  get location(): string | undefined {
    return this.where();
  }
  problem(check: CheckId, message: string, hint?: string): void {
    this.problems.push({ check, message, ...(hint ? { hint } : {}) });
  }
}

const declarations = new WeakMap<Construct, Declaration>();

/**
 * Records a construct's declaration; with `props`, also checks them against the schema of its class's props (what the
 * TypeScript compiler checks, again at run time: JavaScript meshes, values only known then).
 */
export function declare(c: Construct, given?: { props: unknown }): Declaration {
  const d = new Declaration(c);
  declarations.set(c, d);
  if (given) for (const p of checkProps(c.constructor.name, given.props)) d.problem('invalidProps', p.message, p.hint);
  return d;
}

/** Whether a construct's props passed their run-time check: constructors read no further into props that did not. */
export function propsValid(d: Declaration): boolean {
  return !d.problems.some((p) => p.check === 'invalidProps');
}

export function declarationOf(c: Construct): Declaration | undefined {
  return declarations.get(c);
}

/** A p2c construct that keeps its props and its declaration (where, and what was wrong). */
export abstract class DeclaredConstruct<P> extends Construct {
  readonly props: P;
  /** @internal */
  readonly declaration: Declaration;

  constructor(scope: Construct, id: string, props: P) {
    super(scope, id);
    this.declaration = declare(this, { props });
    this.props = props;
  }
}

/**
 * Records where a cdk8s object was declared (the user's file:line). Every construct's call site is recorded when
 * it joins the tree (object-call-sites.ts); classes `p2c types` generated before that still call this.
 */
export function recordObjectCallSite(c: Construct): void {
  if (!declarations.has(c)) declare(c);
}
