-- Which of the five basic skills of the national target each catalogue skill
-- counts for (NULL: none), per commune: provinces word the five differently,
-- so a coordinator may change it (domain.md). Named as in the API
-- (`online_payment`); filled here from the starting mapping of
-- domain/src/catalogue.rs (BASIC_SKILL_MAPPING), which new skills start from.
ALTER TABLE skills ADD COLUMN basic_skill TEXT;
UPDATE skills SET basic_skill = CASE
    WHEN substr(code, 1, 14) = 'publicservice.' THEN 'public_services'
    WHEN code = 'ecommerce.buy' THEN 'online_shopping'
    WHEN substr(code, 1, 8) = 'payment.' THEN 'online_payment'
    WHEN substr(code, 1, 7) = 'safety.' THEN 'online_safety'
    WHEN code = 'local.platform' THEN 'local_platforms'
END;
