/** models: networks built from layers and normalization (`mlp`). */
export * from "./mlp";
