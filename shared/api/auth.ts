import { z } from 'zod';

export const credentialsSchema = z
  .object({
    email: z.email().max(254),
    password: z.string().min(8).max(200),
  })
  .strict();

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: z.enum(['user', 'admin']),
  created_at: z.string(),
});

export const authResponseSchema = z.object({
  user: userSchema,
  /** Opaque bearer token; the server keeps only its hash. */
  token: z.string(),
});

export type Credentials = z.infer<typeof credentialsSchema>;
export type UserView = z.infer<typeof userSchema>;
export type AuthResponse = z.infer<typeof authResponseSchema>;
