#!/usr/bin/env node
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * `node scripts/import-cycles.js [dir ...]` (default apps/api/src): fails when files of a
 * directory import each other in a cycle. Follows relative imports and re-exports, type-only ones
 * included (a cycle of types is still a cycle of design), and prints one cycle per tangle.
 */
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

const roots = process.argv.slice(2);
const files = (roots.length ? roots : ['apps/api/src']).flatMap((root) => sourcesIn(resolve(root)));
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const cycles = tangles(graph).map((tangle) => cycleWithin(tangle, graph));

for (const cycle of cycles) {
  console.error(`import cycle: ${cycle.map((file) => relative(process.cwd(), file)).join(' -> ')}`);
}
console.log(`${files.length} files, ${cycles.length} import cycles`);
process.exitCode = cycles.length ? 1 : 0;

function sourcesIn(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourcesIn(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

function importsOf(file) {
  const source = readFileSync(file, 'utf8');
  const targets = [...source.matchAll(IMPORT)].map(([, specifier]) =>
    resolve(dirname(file), specifier).replace(/\.js$/, '.ts'),
  );
  return [...new Set(targets)];
}

/** Strongly connected components of more than one file, or of one file importing itself. */
function tangles(edges) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  let next = 0;
  const visit = (file) => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const target of edges.get(file) ?? []) {
      if (!edges.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file), low.get(target)));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file), index.get(target)));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || edges.get(file).includes(file)) found.push(component);
  };
  for (const file of edges.keys()) if (!index.has(file)) visit(file);
  return found;
}

/** One concrete cycle through a tangle: a breadth-first path from its first file back to it. */
function cycleWithin(tangle, edges) {
  const members = new Set(tangle);
  const [start] = [...tangle].sort();
  const cameFrom = new Map();
  const queue = [start];
  while (queue.length) {
    const file = queue.shift();
    for (const target of edges.get(file)) {
      if (!members.has(target)) continue;
      if (target === start) return [...pathTo(file, cameFrom, start), start];
      if (!cameFrom.has(target)) {
        cameFrom.set(target, file);
        queue.push(target);
      }
    }
  }
  return [start];
}

function pathTo(file, cameFrom, start) {
  const path = [file];
  while (path[0] !== start) path.unshift(cameFrom.get(path[0]));
  return path;
}
