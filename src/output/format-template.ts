/**
 * `-o template='{{ts}} {{severity}} {{source}}: {{message}}'` (or `--template`): each event as the
 * user's own text. The template is parsed once, before anything is sent, so a mistake is a usage
 * error with a caret under it; each event is then rendered from the parsed parts, never by
 * evaluating text.
 *
 * The grammar (README "Templates"):
 * - `{{name}}` is a field: `ts`, `severity`, `source` and `message` read through the one field
 *   table (model/event-record.ts), so they mean the same for every stream; any other field of the
 *   filter language or an alias (`level`, `msg`, `service`, `event_id`, `actor`, `dataset`…); a
 *   payload path (`payload.order.id`, `meta.user`, `payload.tags.0`); or `stream`, the label of a
 *   stream when a tail reads several. Names ignore case, payload keys do not; spaces inside the
 *   braces are ignored.
 * - `{{name | fn | fn N}}` applies functions left to right: `json` (the value as compact JSON),
 *   `upper`, `lower`, `pad N` (at least N columns, spaces after), `trunc N` (at most N columns,
 *   cut with `…`).
 * - Outside the braces text is copied; `\n`, `\t`, `\\` and `\{` (a literal `{`, so `\{{` is a
 *   literal `{{`) are escapes, any other backslash stays as it is.
 * - A missing field (or null) is empty; objects and arrays are compact JSON; numbers and booleans
 *   their JSON text. `ts` and `ingested_at` are times shown as pretty lines show them (local on a
 *   terminal, UTC elsewhere or with `--utc`).
 * - On a terminal the common fields are coloured as in pretty lines (the level's colour on
 *   `severity`, and on `message` for the loud levels) and every value is escaped; to a pipe values
 *   are written as they are, like `-o raw`.
 * - Each event's text ends with a newline unless the template already ends with one.
 */
import { UsageError } from '../errors.js';
import {
  type EventRecord,
  eventMessage,
  eventSeverity,
  eventSource,
  eventTime,
} from '../model/event-record.js';
import { renderCaret } from '../soql/caret.js';
import {
  accessorFor,
  FIELD_ALIASES,
  type FieldAccessor,
  resolveField,
  SOQL_FIELDS,
  suggestField,
} from '../soql/fields.js';
import { closestName } from '../soql/suggest.js';
import { boundedJson } from './bounded-json.js';
import type { EventFormatter, FormatOptions, OutputEvent } from './event-format.js';
import type { Palette } from './palette.js';
import { sanitizeForTerminal } from './sanitize.js';
import { severityStyle } from './severity-style.js';
import { cutToWidth, displayWidth } from './text-width.js';
import { createTimeFormatter } from './time-format.js';

/** A field of the template: how to read it from an event, and how a terminal colours it. */
interface FieldPart {
  kind: 'field';
  /** The name as the template wrote it, for errors. */
  name: string;
  read: (item: OutputEvent, context: RenderContext) => unknown;
  paint: 'time' | 'severity' | 'source' | 'message' | 'none';
  functions: ((text: string, value: unknown) => string)[];
}

type Part = { kind: 'text'; text: string } | FieldPart;

interface RenderContext {
  formatTime: (iso: string | undefined) => string;
}

/** The fields a template names besides those of the filter language. */
const EXTRA_FIELDS = ['stream'] as const;
const FUNCTIONS = ['json', 'upper', 'lower', 'pad', 'trunc'] as const;
/** Widest `pad`/`trunc` a template may ask for: a line, not a page. */
const MAX_WIDTH_ARGUMENT = 1_000;
/** Longest template accepted, in UTF-16 units. */
const MAX_TEMPLATE_CHARS = 65_536;

class TemplateError extends Error {
  readonly position: number;
  readonly hint: string | undefined;
  constructor(message: string, position: number, hint?: string) {
    super(message);
    this.position = position;
    this.hint = hint;
  }
}

/** The parts of a template, or a TemplateError at the first mistake. */
export function parseTemplate(template: string): { parts: Part[]; endsWithNewline: boolean } {
  if (template.length > MAX_TEMPLATE_CHARS) {
    throw new TemplateError(
      `the template is too long: at most ${MAX_TEMPLATE_CHARS} characters`,
      MAX_TEMPLATE_CHARS,
    );
  }
  const parts: Part[] = [];
  let text = '';
  let at = 0;
  while (at < template.length) {
    const char = template[at]!;
    if (char === '\\') {
      const next = template[at + 1];
      const escaped =
        next === 'n' ? '\n' : next === 't' ? '\t' : next === '\\' || next === '{' ? next : undefined;
      if (escaped !== undefined) {
        text += escaped;
        at += 2;
        continue;
      }
      text += char;
      at += 1;
      continue;
    }
    if (char === '{' && template[at + 1] === '{') {
      const close = template.indexOf('}}', at + 2);
      if (close === -1) {
        throw new TemplateError("'{{' is never closed with '}}'", at, 'for a literal {{ write \\{{');
      }
      if (text !== '') parts.push({ kind: 'text', text });
      text = '';
      parts.push(parseAction(template.slice(at + 2, close), at + 2));
      at = close + 2;
      continue;
    }
    text += char;
    at += 1;
  }
  if (text !== '') parts.push({ kind: 'text', text });
  const last = parts.at(-1);
  return { parts, endsWithNewline: last?.kind === 'text' && last.text.endsWith('\n') };
}

/** `name | fn | fn N` between the braces; `offset` is where it starts in the template. */
function parseAction(body: string, offset: number): FieldPart {
  const segments = body.split('|');
  let position = offset;
  const [head = '', ...calls] = segments;
  const name = head.trim();
  const nameAt = offset + head.length - head.trimStart().length;
  if (name === '') {
    throw new TemplateError('a field name is missing between {{ and }}', nameAt, 'e.g. {{message}}');
  }
  const brace = name.search(/[{}]/);
  if (brace !== -1) {
    throw new TemplateError(
      `a field ends with '}}': '${name.slice(0, brace)}' is followed by '${name[brace]}'`,
      nameAt + brace,
      'for a literal { write \\{',
    );
  }
  const part = fieldPart(name, nameAt);
  position += head.length + 1;
  for (const call of calls) {
    const words = call.trim().split(/\s+/);
    const callAt = position + call.length - call.trimStart().length;
    part.functions.push(functionOf(words, callAt));
    position += call.length + 1;
  }
  return part;
}

function fieldPart(name: string, at: number): FieldPart {
  const base = { kind: 'field' as const, name, functions: [] };
  if (name.toLowerCase() === 'stream') return { ...base, read: (item) => item.stream, paint: 'none' };
  const resolved = resolveField(name);
  if (!('field' in resolved)) throw unknownField(name, resolved, at);
  switch (resolved.field) {
    case 'ts':
      return { ...base, read: (item, context) => context.formatTime(eventTime(item.event)), paint: 'time' };
    case 'ingested_at':
      return {
        ...base,
        read: (item, context) => {
          const value = item.event.ingested_at;
          return typeof value === 'string' && value !== '' ? context.formatTime(value) : undefined;
        },
        paint: 'time',
      };
    case 'severity':
      return { ...base, read: (item) => eventSeverity(item.event), paint: 'severity' };
    case 'source':
      return { ...base, read: (item) => eventSource(item.event), paint: 'source' };
    case 'message':
      return { ...base, read: (item) => eventMessage(item.event), paint: 'message' };
    default: {
      const accessor: FieldAccessor = accessorFor(resolved.field);
      return { ...base, read: (item) => accessor(item.event as EventRecord), paint: 'none' };
    }
  }
}

function unknownField(
  name: string,
  resolved: { problem: 'unknown' | 'no-path' | 'empty-key'; head: string },
  at: number,
): TemplateError {
  if (resolved.problem === 'no-path') {
    return new TemplateError(
      `'${resolved.head}' has no fields inside it; only payload.<key> takes a path`,
      at,
    );
  }
  if (resolved.problem === 'empty-key') return new TemplateError(`'${name}' has an empty key`, at);
  const suggestion = closestName(resolved.head, EXTRA_FIELDS) ?? suggestField(resolved.head);
  const known = `known fields: ${[...SOQL_FIELDS, ...EXTRA_FIELDS].join(', ')}, payload.<key>; aliases: ${Object.keys(FIELD_ALIASES).join(', ')}, meta.<key>`;
  return new TemplateError(
    suggestion ? `unknown field '${name}' — did you mean '${suggestion}'?` : `unknown field '${name}'`,
    at,
    known,
  );
}

function functionOf(words: string[], at: number): FieldPart['functions'][number] {
  const [name = '', ...args] = words;
  const known = FUNCTIONS.find((fn) => fn === name.toLowerCase());
  if (known === undefined) {
    const suggestion = closestName(name, FUNCTIONS);
    throw new TemplateError(
      name === ''
        ? "a function is missing after '|'"
        : suggestion
          ? `unknown function '${name}' — did you mean '${suggestion}'?`
          : `unknown function '${name}'`,
      at,
      `functions: ${FUNCTIONS.map((fn) => (fn === 'pad' || fn === 'trunc' ? `${fn} N` : fn)).join(', ')}`,
    );
  }
  const takesWidth = known === 'pad' || known === 'trunc';
  if (args.length !== (takesWidth ? 1 : 0) || (takesWidth && !/^\d+$/.test(args[0]!))) {
    throw new TemplateError(
      takesWidth ? `${known} takes one width, a whole number: ${known} 12` : `${known} takes no argument`,
      at,
    );
  }
  const width = takesWidth ? Math.min(Number(args[0]), MAX_WIDTH_ARGUMENT) : 0;
  switch (known) {
    case 'json':
      return (_text, value) => (value === undefined ? '' : (boundedJson(value) ?? ''));
    case 'upper':
      return (text) => text.toUpperCase();
    case 'lower':
      return (text) => text.toLowerCase();
    case 'pad':
      return (text) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));
    case 'trunc':
      return (text) => cutToWidth(text, width);
  }
}

/** A value as text: strings as they are, other JSON values as JSON, nothing for absent or null. */
function valueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return boundedJson(value) ?? '';
}

/** The text of a template error with the template under it and a caret at the spot. */
async function usageError(error: TemplateError, template: string): Promise<UsageError> {
  const shown = sanitizeForTerminal(template);
  const at = sanitizeForTerminal(template.slice(0, error.position)).length;
  const { default: stringWidth } = await import('string-width');
  // The template and its caret are lines of their own (the error's details): a line break
  // inside a message is shown escaped, like any other control character.
  const caret = renderCaret(shown, at, stringWidth)
    .split('\n')
    .map((line) => `  ${line}`);
  return new UsageError(`-o template: ${error.message}`, {
    hint: error.hint ?? 'see `sotail query --help` for the template grammar',
    details: caret,
  });
}

export async function createFormatter(options: FormatOptions): Promise<EventFormatter> {
  const template = options.argument ?? '';
  let parsed: ReturnType<typeof parseTemplate>;
  try {
    parsed = parseTemplate(template);
  } catch (error) {
    if (error instanceof TemplateError) throw await usageError(error, template);
    throw error;
  }
  const { palette } = options;
  const terminal = options.terminal;
  const context: RenderContext = {
    formatTime: createTimeFormatter({ style: options.timeStyle, zone: options.timeZone }),
  };
  const literal = (text: string): string => (terminal ? sanitizeKeepingLayout(text) : text);
  const parts = parsed.parts.map((part) =>
    part.kind === 'text' ? { ...part, text: literal(part.text) } : part,
  );
  const newline = parsed.endsWithNewline ? '' : '\n';
  return {
    format(events) {
      let out = '';
      for (const item of events) {
        let severity: string | undefined | null = null;
        const level = (): string | undefined => {
          if (severity === null) severity = eventSeverity(item.event);
          return severity;
        };
        for (const part of parts) {
          if (part.kind === 'text') {
            out += part.text;
            continue;
          }
          const value = part.read(item, context);
          let text = valueText(value);
          for (const fn of part.functions) text = fn(text, value);
          if (terminal) text = sanitizeForTerminal(text);
          out += paintPart(part.paint, text, palette, level);
        }
        out += newline;
      }
      return out;
    },
  };
}

function paintPart(
  paint: FieldPart['paint'],
  text: string,
  palette: Palette,
  level: () => string | undefined,
): string {
  if (palette.level === 0 || text === '') return text;
  switch (paint) {
    case 'time':
      return palette.time(text);
    case 'source':
      return palette.source(text);
    case 'severity':
      return palette.severity(level())(text);
    case 'message':
      return severityStyle(level())?.paintsMessage ? palette.severity(level())(text) : text;
    default:
      return text;
  }
}

/** Text of the template itself, escaped for a terminal but for its own line breaks and tabs. */
function sanitizeKeepingLayout(text: string): string {
  return text
    .split(/([\n\t])/)
    .map((piece) => (piece === '\n' || piece === '\t' ? piece : sanitizeForTerminal(piece)))
    .join('');
}
