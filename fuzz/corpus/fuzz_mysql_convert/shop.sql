-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: shop
-- ------------------------------------------------------
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!50503 SET NAMES utf8mb4 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;

CREATE DATABASE IF NOT EXISTS `shop` DEFAULT CHARACTER SET utf8mb4;
USE `shop`;

DROP TABLE IF EXISTS `tenants`;
CREATE TABLE `tenants` (
  `id` int unsigned NOT NULL AUTO_INCREMENT,
  `name` varchar(120) NOT NULL,
  `plan` enum('free','pro','enterprise') NOT NULL DEFAULT 'free',
  `is_active` tinyint(1) NOT NULL DEFAULT '1',
  `created_at` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_tenants_name` (`name`)
) ENGINE=InnoDB AUTO_INCREMENT=1001 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci COMMENT='Customer accounts';

DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `tenant_id` int unsigned NOT NULL,
  `email` varchar(255) NOT NULL,
  `display_name` varchar(100) DEFAULT NULL COMMENT 'shown in the UI',
  `password_hash` binary(60) NOT NULL,
  `last_login` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_users_email` (`tenant_id`,`email`),
  KEY `idx_users_last_login` (`last_login` DESC),
  CONSTRAINT `fk_users_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

DROP TABLE IF EXISTS `categories`;
CREATE TABLE `categories` (
  `id` smallint unsigned NOT NULL AUTO_INCREMENT,
  `parent_id` smallint unsigned DEFAULT NULL,
  `slug` varchar(64) NOT NULL,
  `title` varchar(200) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `parent_id` (`parent_id`),
  CONSTRAINT `categories_ibfk_1` FOREIGN KEY (`parent_id`) REFERENCES `categories` (`id`)
) ENGINE=InnoDB;

DROP TABLE IF EXISTS `products`;
CREATE TABLE `products` (
  `id` int NOT NULL AUTO_INCREMENT,
  `tenant_id` int unsigned NOT NULL,
  `category_id` smallint unsigned DEFAULT NULL,
  `sku` char(12) NOT NULL,
  `name` varchar(200) NOT NULL,
  `description` mediumtext,
  `price` decimal(10,2) NOT NULL DEFAULT '0.00',
  `weight_kg` float DEFAULT NULL,
  `stock` int unsigned NOT NULL DEFAULT '0',
  `tags` set('new','sale','featured') DEFAULT NULL,
  `attributes` json DEFAULT NULL,
  `status` enum('draft','active','retired') NOT NULL DEFAULT 'draft',
  `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_products_sku` (`tenant_id`,`sku`),
  KEY `idx_products_category` (`tenant_id`,`category_id`),
  KEY `parent_id` (`category_id`),
  FULLTEXT KEY `ft_products_text` (`name`,`description`),
  CONSTRAINT `fk_products_category` FOREIGN KEY (`category_id`) REFERENCES `categories` (`id`) ON DELETE SET NULL,
  CONSTRAINT `chk_price` CHECK ((`price` >= 0))
) ENGINE=InnoDB AUTO_INCREMENT=5000 DEFAULT CHARSET=utf8mb4;

DROP TABLE IF EXISTS `orders`;
CREATE TABLE `orders` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `tenant_id` int unsigned NOT NULL,
  `user_id` bigint unsigned NOT NULL,
  `status` enum('pending','paid','shipped','cancelled') NOT NULL DEFAULT 'pending',
  `total` decimal(12,2) NOT NULL,
  `currency` char(3) NOT NULL DEFAULT 'EUR',
  `note` text,
  `placed_at` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  PRIMARY KEY (`id`),
  KEY `idx_orders_user` (`user_id`,`placed_at`),
  KEY `idx_orders_status` (`tenant_id`,`status`),
  CONSTRAINT `fk_orders_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`)
) ENGINE=InnoDB;

DROP TABLE IF EXISTS `order_items`;
CREATE TABLE `order_items` (
  `order_id` bigint NOT NULL,
  `line_no` tinyint unsigned NOT NULL,
  `product_id` int NOT NULL,
  `quantity` mediumint unsigned NOT NULL DEFAULT '1',
  `unit_price` decimal(10,2) NOT NULL,
  `discount` decimal NOT NULL DEFAULT '0',
  PRIMARY KEY (`order_id`,`line_no`),
  KEY `idx_items_product` (`product_id`),
  CONSTRAINT `fk_items_order` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`) ON DELETE CASCADE,
  CONSTRAINT `fk_items_product` FOREIGN KEY (`product_id`) REFERENCES `products` (`id`)
) ENGINE=InnoDB;

DROP TABLE IF EXISTS `payments`;
CREATE TABLE `payments` (
  `id` char(36) NOT NULL DEFAULT (uuid()),
  `order_id` bigint NOT NULL,
  `provider` varchar(32) NOT NULL,
  `amount` decimal(12,2) NOT NULL,
  `succeeded` bit(1) NOT NULL DEFAULT b'0',
  `raw_response` longblob,
  `paid_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_payments_order` (`order_id`),
  CONSTRAINT `fk_payments_order` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`)
) ENGINE=InnoDB;

DROP TABLE IF EXISTS `addresses`;
CREATE TABLE `addresses` (
  `id` int NOT NULL AUTO_INCREMENT,
  `user_id` bigint unsigned NOT NULL,
  `kind` enum('billing','shipping') NOT NULL,
  `line1` varchar(255) NOT NULL,
  `city` varchar(100) NOT NULL,
  `postcode` varchar(16) DEFAULT NULL,
  `country` char(2) NOT NULL,
  `location` point DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_addresses_user` (`user_id`),
  KEY `idx_addresses_city` (`city`(20)),
  CONSTRAINT `fk_addresses_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`)
) ENGINE=MyISAM;

DROP TABLE IF EXISTS `reviews`;
CREATE TABLE `reviews` (
  `id` int NOT NULL AUTO_INCREMENT,
  `product_id` int NOT NULL,
  `user_id` bigint unsigned NOT NULL,
  `rating` tinyint NOT NULL,
  `body` text COLLATE utf8mb4_bin,
  `helpful_votes` int unsigned zerofill NOT NULL DEFAULT '0',
  `created_year` year DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_reviews_product` (`product_id`),
  CONSTRAINT `fk_reviews_product` FOREIGN KEY (`product_id`) REFERENCES `products` (`id`),
  CONSTRAINT `fk_reviews_coupon` FOREIGN KEY (`user_id`) REFERENCES `audit_log` (`id`),
  CONSTRAINT `chk_rating` CHECK (`rating` between 1 and 5)
) ENGINE=InnoDB;

DROP TABLE IF EXISTS `audit_log`;
CREATE TABLE `audit_log` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `actor` varchar(64) NOT NULL,
  `action` varchar(32) NOT NULL,
  `details` json NOT NULL,
  `at` timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (`id`),
  KEY `idx_audit_at` (`at`)
) ENGINE=InnoDB
/*!50100 PARTITION BY RANGE (unix_timestamp(`at`))
(PARTITION p2024 VALUES LESS THAN (1735689600) ENGINE = InnoDB,
 PARTITION pmax VALUES LESS THAN MAXVALUE ENGINE = InnoDB) */;

DROP TABLE IF EXISTS `settings`;
CREATE TABLE `settings` (
  `tenant_id` int unsigned NOT NULL,
  `key` varchar(64) NOT NULL,
  `value` varchar(1024) DEFAULT NULL,
  `flags` bit(8) DEFAULT NULL,
  PRIMARY KEY (`tenant_id`,`key`)
) ENGINE=InnoDB;

LOCK TABLES `tenants` WRITE;
INSERT INTO `tenants` VALUES (1001,'Acme','pro',1,'2024-01-01 00:00:00');
UNLOCK TABLES;

CREATE INDEX idx_orders_currency ON orders (currency);
ALTER TABLE `products` ADD COLUMN `barcode` varchar(32) DEFAULT NULL AFTER `sku`, ADD INDEX `idx_products_barcode` (`barcode`);
ALTER TABLE `orders` MODIFY `note` varchar(500);

DELIMITER ;;
CREATE TRIGGER `orders_touch` BEFORE UPDATE ON `orders` FOR EACH ROW BEGIN
  SET NEW.placed_at = NOW();
END ;;
DELIMITER ;

/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
