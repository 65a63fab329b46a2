INSERT INTO probe (id, note) VALUES (1, 'applied once');
SELECT pg_sleep(0.2);
