/**
 * What the standalone build of the Dawn benchmark (npm run build:bench-dawn, bench/build-dawn.mjs) was made from.
 * Undefined when the benchmark runs from the source; the build replaces this module with the values, so a run of
 * dist/bench-dawn/bench-dawn.mjs on a machine with no checkout still records the commit its code came from.
 */
export interface StandaloneBuild {
  /** The source's commit (short hash) and whether its tracked files differed from it when the build was made. */
  commit: string;
  dirty: boolean;
  /** When the build was made (ISO 8601). */
  built: string;
  /** The Dawn builds in its node_modules (--dawn-platform: linux-x64, darwin-universal, …). */
  platforms: string[];
}

export const STANDALONE: StandaloneBuild | undefined = undefined;
