import { Node, type IConstruct } from 'constructs';
import { captureCallSite } from './call-site.js';

/**
 * Where every construct was created, p2c's or not: a plain cdk8s `ApiObject` or a cdk8s-plus `Deployment` is
 * reported at the user's line that created it, not at the line of its cluster. The constructs library has no
 * creation hook, so p2c wraps the one step every construct takes when it joins the tree (`Node.addChild`).
 */
const sites = new WeakMap<IConstruct, () => string | undefined>();

export function callSiteOf(c: IConstruct): (() => string | undefined) | undefined {
  return sites.get(c);
}

type AddChild = (this: Node, child: IConstruct, childName: string) => void;
const proto = Node.prototype as unknown as { addChild?: AddChild; __p2cCallSites?: true };
// Installed once per copy of `constructs`; a copy without the method keeps working, with enclosing lines.
if (typeof proto.addChild === 'function' && !proto.__p2cCallSites) {
  const addChild = proto.addChild;
  proto.addChild = function (this: Node, child: IConstruct, childName: string): void {
    addChild.call(this, child, childName);
    sites.set(child, captureCallSite());
  };
  Object.defineProperty(proto, '__p2cCallSites', { value: true });
}
