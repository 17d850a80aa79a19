// util.inspect's layout, for _inspect.ts: entries on one line when they fit in 80
// columns, else one a line; arrays of more than 6 entries grouped in aligned columns
// (Node's reduceToSingleString and groupArrayElements, with compact 3).

const BREAK_LENGTH = 80;
/** util.inspect's maxArrayLength. */
export const MAX_ARRAY_LENGTH = 100;

/** Join formatted entries as util.inspect does, at indentation `indentationLvl`. */
export function reduceToSingleString(
  indentationLvl: number,
  output: string[],
  base: string,
  braces: [string, string],
  array: boolean,
  value: unknown,
): string {
  const entries = output.length;
  if (array && entries > 6) output = groupArrayElements(indentationLvl, output, value as ArrayLike<unknown>);
  if (entries === output.length) {
    const start = output.length + indentationLvl + braces[0].length + base.length + 10;
    if (isBelowBreakLength(output, start, base)) {
      const joined = output.join(", ");
      if (!joined.includes("\n")) return `${base ? `${base} ` : ""}${braces[0]} ${joined} ${braces[1]}`;
    }
  }
  const indentation = `\n${" ".repeat(indentationLvl)}`;
  return `${base ? `${base} ` : ""}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${
    braces[1]
  }`;
}

function isBelowBreakLength(output: string[], start: number, base: string): boolean {
  let total = output.length + start;
  if (total + output.length > BREAK_LENGTH) return false;
  for (const entry of output) {
    total += entry.length;
    if (total > BREAK_LENGTH) return false;
  }
  return base === "" || !base.includes("\n");
}

/** Node's groupArrayElements: short entries in aligned columns. */
function groupArrayElements(indentationLvl: number, output: string[], value: ArrayLike<unknown>): string[] {
  let totalLength = 0;
  let maxLength = 0;
  let outputLength = output.length;
  if (MAX_ARRAY_LENGTH < output.length) outputLength--;
  const separatorSpace = 2;
  const dataLen: number[] = [];
  for (let i = 0; i < outputLength; i++) {
    const len = output[i].length;
    dataLen[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + indentationLvl < BREAK_LENGTH && (totalLength / actualMax > 5 || maxLength <= 6)) {
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(
      Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
      Math.floor((BREAK_LENGTH - indentationLvl) / actualMax),
      3 * 4,
      15,
    );
    if (columns <= 1) return output;
    const tmp: string[] = [];
    const maxLineLength: number[] = [];
    for (let i = 0; i < columns; i++) {
      let lineLength = 0;
      for (let j = i; j < output.length; j += columns) if (dataLen[j] > lineLength) lineLength = dataLen[j];
      maxLineLength.push(lineLength + separatorSpace);
    }
    let padStart = true;
    for (let i = 0; i < output.length; i++) {
      if (typeof value[i] !== "number" && typeof value[i] !== "bigint") {
        padStart = false;
        break;
      }
    }
    for (let i = 0; i < outputLength; i += columns) {
      const max = Math.min(i + columns, outputLength);
      let str = "";
      let j = i;
      for (; j < max - 1; j++) {
        const cell = `${output[j]}, `;
        str += padStart ? cell.padStart(maxLineLength[j - i]) : cell.padEnd(maxLineLength[j - i]);
      }
      str += padStart ? output[j].padStart(maxLineLength[j - i] - separatorSpace) : output[j];
      tmp.push(str);
    }
    if (MAX_ARRAY_LENGTH < output.length) tmp.push(output[outputLength]);
    output = tmp;
  }
  return output;
}
