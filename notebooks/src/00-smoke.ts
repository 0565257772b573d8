// %% [markdown]
// # Smoke test (temporary, for the runtime's own tests)

// %%
import * as lab from "..";
import * as show from "../dist/lib/notebook";

// %%
const rng = lab.makeRng(1337);

// %%
show.plot(lab.lineChart([{ name: "noise", y: Array.from({ length: 50 }, () => rng.normal()) }], { title: "Noise", xTitle: "step", yTitle: "value" }));

// %%
show.plot(lab.lineChart([{ name: "square", y: [1, 4, 9, 16] }], { title: "Squares", xTitle: "n", yTitle: "n²" }));
console.log("done");
