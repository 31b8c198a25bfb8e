// Helpers shared by checks; see checks/.
export {};
