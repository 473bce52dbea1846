// Isomorphic: the provisioning form's VPC and subnet choices (server/stack/network.ts reads them from the account).

export interface VpcChoice {
  id: string;
  name: string;
  cidr: string;
  isDefault: boolean;
}

export interface SubnetChoice {
  id: string;
  name: string;
  az: string;
  cidr: string;
  public: boolean;
}
