// The rejection every fake command throws: the ApiError shape of the real backend.
export const fail = (
  code: string,
  message: string,
  fields: unknown[] = [],
  params: Record<string, string> = {},
) => ({ code, message, fields, params });
