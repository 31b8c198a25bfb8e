import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node } from 'yaml';

/** A CloudFormation template as plain JSON values (short-form tags turned into their long form), and the line of each resource. */
export interface ParsedTemplate {
  template: Record<string, unknown>;
  /** Logical id → 1-based line of its key under Resources. */
  lines: Map<string, number>;
}

export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** `!Ref X` → `{Ref: X}`, `!GetAtt A.B` → `{'Fn::GetAtt': [A, B]}`, `!Condition C` → `{Condition: C}`, `!X v` → `{'Fn::X': v}`. */
function tagged(tag: string, value: unknown): unknown {
  const name = tag.slice(1);
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

function toPlain(node: unknown): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) throw new TemplateError('YAML aliases are not supported in CloudFormation templates');
  let value: unknown;
  if (isScalar(node)) value = node.value;
  else if (isSeq(node)) value = node.items.map((item) => toPlain(item));
  else if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : String(toPlain(pair.key));
      out[key] = toPlain(pair.value);
    }
    value = out;
  } else return null;
  const tag = (node as Node).tag;
  // The standard YAML tags (tag:yaml.org,2002:…) and `!` alone are plain values; any other `!Name` is an intrinsic.
  if (tag?.startsWith('!') && tag.length > 1) return tagged(tag, value);
  return value;
}

/** Reads a template in YAML (short-form tags included) or JSON, which YAML 1.2 reads as well. */
export function parseTemplate(text: string): ParsedTemplate {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) throw new TemplateError(`not a valid template: ${doc.errors[0]!.message}`);
  const template = toPlain(doc.contents);
  if (!template || typeof template !== 'object' || Array.isArray(template)) throw new TemplateError('not a valid template: the top level is not a mapping');
  const lines = new Map<string, number>();
  if (isMap(doc.contents)) {
    const resources = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'Resources');
    if (resources && isMap(resources.value)) {
      for (const pair of resources.value.items) {
        if (isScalar(pair.key) && pair.key.range) lines.set(String(pair.key.value), lineCounter.linePos(pair.key.range[0]).line);
      }
    }
  }
  const plain = template as Record<string, unknown>;
  if (!plain['Resources'] || typeof plain['Resources'] !== 'object') throw new TemplateError('not a valid template: no Resources');
  return { template: plain, lines };
}
