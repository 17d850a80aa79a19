// The foundation behaviours (tests/_foundation.ts) on the runtime's own adapter.
import net from "../mod.ts";
import { foundationSuite } from "./_foundation.ts";

foundationSuite("foundation", net);
