// What the e2e tests need from a lesson file, read without a YAML library: the id, the English
// title and each step's solution as console lines. Only the shapes lessons/*.yaml use are
// understood (`solution: |` block, `solution:` list of lines, `solution: 'one line'`).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './support.mjs';

export const LESSONS_DIR = join(ROOT, 'lessons');

const indent = (line) => line.length - line.trimStart().length;
const unquote = (s) => {
  const t = s.trim();
  if ((t.startsWith("'") && t.endsWith("'")) || (t.startsWith('"') && t.endsWith('"'))) return t.slice(1, -1);
  return t;
};

/** The lines of a block or list that follows `key:` at `at` (its indentation). */
function blockAfter(lines, i, at) {
  const out = [];
  let j = i + 1;
  for (; j < lines.length; j++) {
    const l = lines[j];
    if (l.trim() !== '' && indent(l) <= at) break;
    out.push(l);
  }
  while (out.length && out[out.length - 1].trim() === '') out.pop();
  const base = Math.min(...out.filter((l) => l.trim() !== '').map(indent));
  return out.map((l) => l.slice(Math.min(base, indent(l) || base)));
}

/** Console lines of a script: blank and comment lines between commands dropped, heredoc bodies kept. */
export function scriptLines(script) {
  const out = [];
  let end = null;
  for (const line of script.split('\n')) {
    if (end !== null) {
      out.push(line);
      if (line.replace(/^\t+/, '') === end) end = null;
      continue;
    }
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const m = line.match(/<<-?\s*['"\\]?([A-Za-z_][A-Za-z0-9_]*)/);
    if (m && !line.includes('<<<')) end = m[1];
    out.push(line);
  }
  return out;
}

/** { id, title, steps: [{ title, lines }] } of `lessons/<file>`. */
export function readLesson(file) {
  const lines = readFileSync(join(LESSONS_DIR, file), 'utf8').split('\n');
  const lesson = { id: null, title: null, steps: [] };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const t = line.trim();
    if (line.startsWith('id:')) lesson.id = unquote(line.slice(3));
    if (line.startsWith('title:')) {
      const flow = line.match(/en:\s*([^,}]+)/);
      lesson.title = flow ? unquote(flow[1]) : unquote(blockAfter(lines, i, 0).find((l) => l.startsWith('en:')).slice(3));
    }
    if (/^ {2}- title:/.test(line)) lesson.steps.push({ title: null, lines: [] });
    const m = t.match(/^solution:\s*(.*)$/);
    if (m && lesson.steps.length) {
      const step = lesson.steps[lesson.steps.length - 1];
      const rest = m[1].trim();
      if (rest === '|' || rest === '|-') {
        step.lines = scriptLines(blockAfter(lines, i, indent(line)).join('\n'));
      } else if (rest === '') {
        step.lines = scriptLines(
          blockAfter(lines, i, indent(line))
            .map((l) => l.replace(/^\s*- ?/, ''))
            .map(unquote)
            .join('\n'),
        );
      } else {
        step.lines = scriptLines(unquote(rest));
      }
    }
  }
  return lesson;
}

/** The lesson files, in course order. */
export function lessonFiles() {
  return readdirSync(LESSONS_DIR).filter((f) => /^\d+-.*\.yaml$/.test(f)).sort();
}
